package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * An authorization callback was refused before any token request: unknown, replayed,
 * expired or foreign {@code state}, or an {@code iss} that is missing or wrong. The message is
 * deliberately generic and never repeats what the callback carried.
 */
public class AuthorizationCallbackException extends McpConnectorException {

	public AuthorizationCallbackException(String message) {
		super(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK, message);
	}

	protected AuthorizationCallbackException(McpConnectorErrorCode errorCode, String message) {
		super(errorCode, message);
	}

}
