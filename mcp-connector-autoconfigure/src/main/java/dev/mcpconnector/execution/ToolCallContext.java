package dev.mcpconnector.execution;

import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A tool call about to be made, as governance sees it. {@link #toString()} leaves the
 * arguments out.
 *
 * @param owner the caller
 * @param connectionId the connection
 * @param toolName the tool's name
 * @param tool the tool's description from the server (annotations included), or {@code null}
 * when the server does not list it, or when nothing declared it needs it
 * ({@link ToolCallInterceptor#needsToolDefinition()}) and the session has not listed its tools yet
 * @param arguments the arguments
 */
public record ToolCallContext(McpOwner owner, UUID connectionId, String toolName, McpSchema.Tool tool,
		Map<String, Object> arguments) {

	@Override
	public String toString() {
		return "ToolCallContext[owner=" + this.owner + ", connectionId=" + this.connectionId + ", toolName="
				+ this.toolName + "]";
	}

}
