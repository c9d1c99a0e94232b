package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.mcpconnector.McpConnectorErrorCode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The tool, resource and prompt operations of a session. Each checks first that the server offers
 * the capability in {@code initialize}: one that does not fails typed ({@code upstream-error})
 * before the SDK refuses the request itself.
 */
final class ServerFeatures {

	private ServerFeatures() {
	}

	static List<McpSchema.Resource> listResources(McpSession session) {
		return resources(session).listResources().resources();
	}

	static List<McpSchema.ResourceTemplate> listResourceTemplates(McpSession session) {
		return resources(session).listResourceTemplates().resourceTemplates();
	}

	static McpSchema.ReadResourceResult readResource(McpSession session, String uri) {
		return resources(session).readResource(new McpSchema.ReadResourceRequest(uri));
	}

	static List<McpSchema.Prompt> listPrompts(McpSession session) {
		return prompts(session).listPrompts().prompts();
	}

	static McpSchema.GetPromptResult getPrompt(McpSession session, String name, Map<String, Object> arguments) {
		return prompts(session)
			.getPrompt(new McpSchema.GetPromptRequest(name, (arguments != null) ? arguments : Map.of()));
	}

	/**
	 * The session's client, once the server is known to offer tools.
	 * @param session the session
	 * @return its client
	 */
	static McpSyncClient tools(McpSession session) {
		return require(session, "tools", McpSchema.ServerCapabilities::tools);
	}

	private static McpSyncClient resources(McpSession session) {
		return require(session, "resources", McpSchema.ServerCapabilities::resources);
	}

	private static McpSyncClient prompts(McpSession session) {
		return require(session, "prompts", McpSchema.ServerCapabilities::prompts);
	}

	private static McpSyncClient require(McpSession session, String name,
			Function<McpSchema.ServerCapabilities, Object> capability) {
		McpSyncClient client = session.client();
		if (!client.isInitialized()) {
			client.initialize();
		}
		McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
		if (capabilities == null || capability.apply(capabilities) == null) {
			throw new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, session.key().connectionId(), null,
					"The server does not provide the " + name + " capability", null);
		}
		return client;
	}

}
