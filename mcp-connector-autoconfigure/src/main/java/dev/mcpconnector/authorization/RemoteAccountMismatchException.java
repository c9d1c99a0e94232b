package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/**
 * A refresh returned an ID token for another subject than the account the connection was
 * authorized as. The new tokens are not stored and the connection needs authorizing again. The
 * message names neither subject.
 */
public class RemoteAccountMismatchException extends McpConnectorException {

	private final UUID connectionId;

	public RemoteAccountMismatchException(UUID connectionId, String issuer) {
		super(McpConnectorErrorCode.REMOTE_ACCOUNT_MISMATCH, "The authorization server " + issuer
				+ " answered a refresh for another account than the connection was authorized as; authorize it again");
		this.connectionId = connectionId;
	}

	public UUID connectionId() {
		return this.connectionId;
	}

}
