package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorException;

/** A request reached the API without an authenticated (non-anonymous) user. */
public class UnauthenticatedException extends McpConnectorException {

	public UnauthenticatedException() {
		super("unauthenticated", "An authenticated user is required");
	}

}
