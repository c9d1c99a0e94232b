package dev.mcpconnector.authorization;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/**
 * A provider found that the connection's grant no longer works and only the user can fix it
 * by authorizing again. The {@link AuthorizationFailureHandler} marks the connection and
 * decides what the caller sees. The reason is a fixed sentence that names no token or secret.
 */
final class UnusableGrantException extends RuntimeException {

	private final McpConnectorException toThrow;

	UnusableGrantException(String reason) {
		this(reason, null);
	}

	/**
	 * @param reason why, for the audit log and the caller
	 * @param toThrow the exception the caller sees instead of an
	 * {@link AuthorizationRequiredException}, or {@code null}
	 */
	UnusableGrantException(String reason, McpConnectorException toThrow) {
		super(reason, null, false, false);
		this.toThrow = toThrow;
	}

	String reason() {
		return getMessage();
	}

	McpConnectorException toThrow(UUID connectionId) {
		return (this.toThrow != null) ? this.toThrow
				: new AuthorizationRequiredException(connectionId, null, false, reason());
	}

}
