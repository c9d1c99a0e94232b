package dev.mcpconnector.connection;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/** A request to create or change a connection is malformed (a bad URL, an overlong name). */
public class InvalidConnectionRequestException extends McpConnectorException {

	public InvalidConnectionRequestException(String message) {
		super(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, message);
	}

}
