package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/** A request reached the API without an authenticated (non-anonymous) user. */
class UnauthenticatedException extends McpConnectorException {

	public UnauthenticatedException() {
		super(McpConnectorErrorCode.UNAUTHENTICATED, "An authenticated user is required");
	}

}
