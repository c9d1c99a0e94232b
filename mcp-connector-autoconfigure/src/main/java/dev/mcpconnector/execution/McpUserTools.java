package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;

/**
 * The {@link McpToolExecutor} bound to one owner: what AI service code injects the executor
 * for, without passing the owner along. Safe to hand to other threads: the owner is fixed when
 * the view is made.
 */
public final class McpUserTools {

	private final McpToolExecutor executor;

	private final McpOwner owner;

	McpUserTools(McpToolExecutor executor, McpOwner owner) {
		Assert.notNull(owner, "owner cannot be null");
		this.executor = executor;
		this.owner = owner;
	}

	public McpOwner owner() {
		return this.owner;
	}

	public List<McpToolDescriptor> tools() {
		return this.executor.tools(this.owner);
	}

	public List<McpSchema.Tool> listTools(UUID connectionId) {
		return this.executor.listTools(this.owner, connectionId);
	}

	public McpSchema.CallToolResult callTool(UUID connectionId, String tool, Map<String, Object> arguments) {
		return this.executor.callTool(this.owner, connectionId, tool, arguments);
	}

	public McpSchema.CallToolResult callTool(UUID connectionId, String tool, String jsonArguments) {
		return this.executor.callTool(this.owner, connectionId, tool, jsonArguments);
	}

	public McpSchema.CallToolResult callTool(String qualifiedName, Map<String, Object> arguments) {
		return this.executor.callTool(this.owner, qualifiedName, arguments);
	}

	public List<McpSchema.Resource> listResources(UUID connectionId) {
		return this.executor.listResources(this.owner, connectionId);
	}

	public List<McpSchema.ResourceTemplate> listResourceTemplates(UUID connectionId) {
		return this.executor.listResourceTemplates(this.owner, connectionId);
	}

	public McpSchema.ReadResourceResult readResource(UUID connectionId, String uri) {
		return this.executor.readResource(this.owner, connectionId, uri);
	}

	public List<McpSchema.Prompt> listPrompts(UUID connectionId) {
		return this.executor.listPrompts(this.owner, connectionId);
	}

	public McpSchema.GetPromptResult getPrompt(UUID connectionId, String name, Map<String, Object> arguments) {
		return this.executor.getPrompt(this.owner, connectionId, name, arguments);
	}

	public CompletableFuture<McpSchema.CallToolResult> callToolAsync(UUID connectionId, String tool,
			Map<String, Object> arguments) {
		return this.executor.callToolAsync(this.owner, connectionId, tool, arguments);
	}

	public CompletableFuture<List<McpToolDescriptor>> toolsAsync() {
		return this.executor.toolsAsync(this.owner);
	}

	@Override
	public String toString() {
		return "McpUserTools[owner=" + this.owner + "]";
	}

}
