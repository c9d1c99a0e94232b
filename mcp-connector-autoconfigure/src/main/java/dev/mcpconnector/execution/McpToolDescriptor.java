package dev.mcpconnector.execution;

import java.util.UUID;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * A tool of one of a user's connections, with a name that is unique across all of them.
 *
 * @param connectionId the connection that offers it
 * @param connectionName the connection's display name
 * @param qualifiedName {@code <connection>__<tool>}, unique among the user's tools
 * @param tool the tool as the server describes it
 */
public record McpToolDescriptor(UUID connectionId, String connectionName, String qualifiedName, McpSchema.Tool tool) {

	public String name() {
		return this.tool.name();
	}

}
