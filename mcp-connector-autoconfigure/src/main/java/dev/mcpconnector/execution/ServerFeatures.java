package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The resource and prompt operations of a session, on its {@link McpPeer} (which checks, in
 * the revisions that have {@code initialize}, that the server offers the capability).
 */
final class ServerFeatures {

	private ServerFeatures() {
	}

	static List<McpSchema.Resource> listResources(McpSession session) {
		return session.peer().listResources();
	}

	static List<McpSchema.ResourceTemplate> listResourceTemplates(McpSession session) {
		return session.peer().listResourceTemplates();
	}

	static McpSchema.ReadResourceResult readResource(McpSession session, String uri) {
		return session.peer().readResource(uri);
	}

	static List<McpSchema.Prompt> listPrompts(McpSession session) {
		return session.peer().listPrompts();
	}

	static McpSchema.GetPromptResult getPrompt(McpSession session, String name, Map<String, Object> arguments) {
		return session.peer().getPrompt(name, (arguments != null) ? arguments : Map.of());
	}

}
