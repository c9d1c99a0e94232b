package dev.mcpconnector.connection;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * The database that holds connections and tokens cannot be reached right now. Nothing was
 * changed; the operation may be retried.
 */
public class StorageUnavailableException extends McpConnectorException {

	public StorageUnavailableException(String message, Throwable cause) {
		super(McpConnectorErrorCode.STORAGE_UNAVAILABLE, message, cause);
	}

}
