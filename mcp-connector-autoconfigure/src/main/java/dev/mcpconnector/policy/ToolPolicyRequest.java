package dev.mcpconnector.policy;

import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * What a policy decides about.
 *
 * @param owner the user
 * @param connectionId the connection
 * @param connectionName the connection's display name
 * @param serverHost the MCP server's host
 * @param toolName the tool's name
 * @param tool the tool as the server describes it (with its annotations), or {@code null}
 */
public record ToolPolicyRequest(McpOwner owner, UUID connectionId, String connectionName, String serverHost,
		String toolName, McpSchema.Tool tool) {

	/** Whether the server marks the tool destructive ({@code destructiveHint}). */
	public boolean isDestructive() {
		return this.tool != null && this.tool.annotations() != null
				&& Boolean.TRUE.equals(this.tool.annotations().destructiveHint());
	}

}
