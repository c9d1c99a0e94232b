package dev.mcpconnector.policy;

import dev.mcpconnector.McpConnectorException;

/** A policy does not let this user use this tool. */
public class ToolDeniedException extends McpConnectorException {

	public ToolDeniedException(String tool) {
		super("tool-denied", "The tool " + tool + " is not allowed");
	}

}
