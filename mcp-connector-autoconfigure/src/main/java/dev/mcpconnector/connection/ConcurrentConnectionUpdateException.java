package dev.mcpconnector.connection;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/** A connection changed between being read and being written. */
public class ConcurrentConnectionUpdateException extends McpConnectorException {

	public ConcurrentConnectionUpdateException(UUID connectionId) {
		super(McpConnectorErrorCode.CONNECTION_CONCURRENTLY_MODIFIED, "Connection " + connectionId + " was changed concurrently");
	}

}
