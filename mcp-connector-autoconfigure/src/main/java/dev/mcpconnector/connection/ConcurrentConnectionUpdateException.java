package dev.mcpconnector.connection;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/** A connection changed between being read and being written. */
public class ConcurrentConnectionUpdateException extends McpConnectorException {

	public ConcurrentConnectionUpdateException(UUID connectionId) {
		super("connection-concurrently-modified", "Connection " + connectionId + " was changed concurrently");
	}

}
