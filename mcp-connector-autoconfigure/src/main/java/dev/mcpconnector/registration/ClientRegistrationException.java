package dev.mcpconnector.registration;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * No client identity could be obtained for an authorization server: none is configured, it
 * supports neither client ID metadata documents nor dynamic registration, or it rejected the
 * registration. The message says which and what to configure.
 */
public class ClientRegistrationException extends McpConnectorException {

	public ClientRegistrationException(String message) {
		super(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED, message);
	}

}
