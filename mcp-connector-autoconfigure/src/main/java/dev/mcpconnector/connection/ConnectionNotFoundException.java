package dev.mcpconnector.connection;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/**
 * The owner has no connection with this id. Thrown alike for ids that do not exist and for
 * ids of another owner's connections, so that callers cannot tell them apart.
 */
public class ConnectionNotFoundException extends McpConnectorException {

	private final UUID connectionId;

	public ConnectionNotFoundException(UUID connectionId) {
		super(McpConnectorErrorCode.CONNECTION_NOT_FOUND, "No such connection");
		this.connectionId = connectionId;
	}

	public UUID connectionId() {
		return this.connectionId;
	}

}
