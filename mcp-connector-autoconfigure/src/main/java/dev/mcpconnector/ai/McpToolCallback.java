package dev.mcpconnector.ai;

import java.io.IOException;

import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.execution.McpUserTools;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.Assert;

/**
 * One tool of one user's connection as a Spring AI {@link ToolCallback}. The user is fixed
 * when the callback is made, so a call on another thread (a streaming response, a reactive
 * pipeline) still runs for that user. Every call goes through the
 * {@link dev.mcpconnector.execution.McpToolExecutor}, so tool policies, approvals, rate limits
 * and the audit log apply.
 * <p>
 * The callback never throws for a failed call: a result, an approval that is pending, a denied
 * tool or any other typed failure comes back as text the model can read (see
 * {@link ToolCallMessages}).
 */
final class McpToolCallback implements ToolCallback {

	private final McpUserTools tools;

	private final McpToolDescriptor descriptor;

	private final ToolDefinition definition;

	/**
	 * @param tools the user's tools
	 * @param descriptor the tool
	 * @param name the name the model sees, from a {@link dev.mcpconnector.ai.ToolNameMapper}
	 */
	public McpToolCallback(McpUserTools tools, McpToolDescriptor descriptor, String name) {
		Assert.notNull(tools, "tools cannot be null");
		Assert.notNull(descriptor, "descriptor cannot be null");
		Assert.hasText(name, "name cannot be empty");
		this.tools = tools;
		this.descriptor = descriptor;
		this.definition = ToolDefinition.builder()
			.name(name)
			.description(ToolSchemas.description(descriptor))
			.inputSchema(json(ToolSchemas.inputSchema(descriptor.tool())))
			.build();
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.definition;
	}

	/**
	 * The tool as its server describes it, and the connection it belongs to.
	 * @return the descriptor
	 */
	public McpToolDescriptor descriptor() {
		return this.descriptor;
	}

	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	/**
	 * Calls the tool with the model's arguments (a JSON object). The tool context is not
	 * forwarded to the MCP server.
	 */
	@Override
	public String call(String toolInput, ToolContext toolContext) {
		try {
			McpSchema.CallToolResult result = this.tools.callTool(this.descriptor.connectionId(),
					this.descriptor.name(), toolInput);
			return ToolCallMessages.text(result);
		}
		catch (RuntimeException ex) {
			return ToolCallMessages.failure(ex);
		}
	}

	private static String json(Object value) {
		try {
			return McpJsonDefaults.getMapper().writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new IllegalStateException("The input schema cannot be written as JSON", ex);
		}
	}

	@Override
	public String toString() {
		return "McpToolCallback[" + this.definition.name() + ", owner=" + this.tools.owner() + "]";
	}

}
