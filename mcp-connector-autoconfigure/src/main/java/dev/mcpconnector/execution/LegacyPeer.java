package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mcpconnector.McpConnectorErrorCode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A session of MCP 2025-11-25 and earlier on the SDK's {@code McpSyncClient}. Each operation
 * checks first that the server offers the capability in {@code initialize}: one that does not
 * fails typed ({@code upstream-error}) before the SDK refuses the request itself. What the
 * server negotiated goes to a listener once, after the session's own {@code initialize}.
 */
final class LegacyPeer implements McpPeer {

	private final McpSyncClient client;

	private final UUID connectionId;

	private final Consumer<String> negotiated;

	LegacyPeer(McpSyncClient client, UUID connectionId, Consumer<String> negotiated) {
		this.client = client;
		this.connectionId = connectionId;
		this.negotiated = negotiated;
	}

	McpSyncClient client() {
		return this.client;
	}

	@Override
	public List<McpSchema.Tool> listTools() {
		return require("tools", McpSchema.ServerCapabilities::tools).listTools().tools();
	}

	@Override
	public McpSchema.CallToolResult callTool(String name, Map<String, Object> arguments) {
		return require("tools", McpSchema.ServerCapabilities::tools)
			.callTool(new McpSchema.CallToolRequest(name, arguments));
	}

	@Override
	public List<McpSchema.Resource> listResources() {
		return require("resources", McpSchema.ServerCapabilities::resources).listResources().resources();
	}

	@Override
	public List<McpSchema.ResourceTemplate> listResourceTemplates() {
		return require("resources", McpSchema.ServerCapabilities::resources).listResourceTemplates()
			.resourceTemplates();
	}

	@Override
	public McpSchema.ReadResourceResult readResource(String uri) {
		return require("resources", McpSchema.ServerCapabilities::resources)
			.readResource(new McpSchema.ReadResourceRequest(uri));
	}

	@Override
	public List<McpSchema.Prompt> listPrompts() {
		return require("prompts", McpSchema.ServerCapabilities::prompts).listPrompts().prompts();
	}

	@Override
	public McpSchema.GetPromptResult getPrompt(String name, Map<String, Object> arguments) {
		return require("prompts", McpSchema.ServerCapabilities::prompts)
			.getPrompt(new McpSchema.GetPromptRequest(name, arguments));
	}

	@Override
	public void check() {
		initialized().ping();
	}

	@Override
	public boolean started() {
		return this.client.isInitialized();
	}

	@Override
	public boolean modern() {
		return false;
	}

	@Override
	public void close() {
		this.client.close();
	}

	private McpSyncClient initialized() {
		if (!this.client.isInitialized()) {
			McpSchema.InitializeResult result = this.client.initialize();
			if (result != null && result.protocolVersion() != null) {
				this.negotiated.accept(result.protocolVersion());
			}
		}
		return this.client;
	}

	private McpSyncClient require(String name, Function<McpSchema.ServerCapabilities, Object> capability) {
		McpSchema.ServerCapabilities capabilities = initialized().getServerCapabilities();
		if (capabilities == null || capability.apply(capabilities) == null) {
			throw new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, this.connectionId, null,
					"The server does not provide the " + name + " capability", null);
		}
		return this.client;
	}

}
