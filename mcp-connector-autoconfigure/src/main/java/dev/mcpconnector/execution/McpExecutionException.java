package dev.mcpconnector.execution;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/**
 * A call to an MCP server failed. The error code says how: {@code upstream-timeout},
 * {@code upstream-error} (the server answered with a JSON-RPC error, see
 * {@link #jsonRpcCode()}), {@code upstream-unreachable} (transport). Messages carry no token and
 * no argument values.
 */
class McpExecutionException extends McpConnectorException {

	private final UUID connectionId;

	private final Integer jsonRpcCode;

	McpExecutionException(McpConnectorErrorCode errorCode, UUID connectionId, Integer jsonRpcCode, String message,
			Throwable cause) {
		super(errorCode, message, cause);
		this.connectionId = connectionId;
		this.jsonRpcCode = jsonRpcCode;
	}

	static McpExecutionException timeout(UUID connectionId, String what) {
		return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_TIMEOUT, connectionId, null, what + " timed out", null);
	}

	UUID connectionId() {
		return this.connectionId;
	}

	/**
	 * The JSON-RPC error code, for {@code upstream-error}.
	 * @return the code or {@code null}
	 */
	Integer jsonRpcCode() {
		return this.jsonRpcCode;
	}

	boolean isTimeout() {
		return error() == McpConnectorErrorCode.UPSTREAM_TIMEOUT;
	}

}
