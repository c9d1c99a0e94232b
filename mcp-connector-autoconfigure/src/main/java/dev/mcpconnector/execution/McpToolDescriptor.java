package dev.mcpconnector.execution;

import java.util.UUID;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * A tool of one of a user's connections, with a name that is unique across all of them.
 *
 * @param connectionId the connection that offers it
 * @param connectionName the connection's display name
 * @param qualifiedName {@code <connection>__<tool>} as {@link dev.mcpconnector.ai.ToolNameMapper}
 * names it (the name Spring AI and the gateway expose too), unique among the user's tools; or
 * {@code null} for a descriptor not named yet
 * @param tool the tool as the server describes it
 */
public record McpToolDescriptor(UUID connectionId, String connectionName, String qualifiedName, McpSchema.Tool tool) {

	public String name() {
		return this.tool.name();
	}

}
