package dev.mcpconnector.approval;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/** No pending approval with this id that the caller may decide. */
public class ApprovalNotFoundException extends McpConnectorException {

	public ApprovalNotFoundException() {
		super(McpConnectorErrorCode.APPROVAL_NOT_FOUND, "No such pending approval");
	}

}
