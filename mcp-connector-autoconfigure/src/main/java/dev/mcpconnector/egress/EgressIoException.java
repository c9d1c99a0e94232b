package dev.mcpconnector.egress;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * An outbound request failed in transport: refused, reset, timed out, or answered with a body
 * over the size cap. The message names the host and the kind of failure, never a body.
 */
public class EgressIoException extends McpConnectorException {

	private final boolean timeout;

	public EgressIoException(String message, boolean timeout, Throwable cause) {
		super(timeout ? McpConnectorErrorCode.UPSTREAM_TIMEOUT : McpConnectorErrorCode.UPSTREAM_UNREACHABLE, message, cause);
		this.timeout = timeout;
	}

	public boolean isTimeout() {
		return this.timeout;
	}

}
