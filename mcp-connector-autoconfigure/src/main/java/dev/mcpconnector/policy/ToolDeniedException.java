package dev.mcpconnector.policy;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/** A policy does not let this user use this tool. */
public class ToolDeniedException extends McpConnectorException {

	public ToolDeniedException(String tool) {
		super(McpConnectorErrorCode.TOOL_DENIED, "The tool " + tool + " is not allowed");
	}

}
