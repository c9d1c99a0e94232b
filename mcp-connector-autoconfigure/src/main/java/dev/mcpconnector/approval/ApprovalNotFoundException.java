package dev.mcpconnector.approval;

import dev.mcpconnector.McpConnectorException;

/** No pending approval with this id that the caller may decide. */
public class ApprovalNotFoundException extends McpConnectorException {

	public ApprovalNotFoundException() {
		super("approval-not-found", "No such pending approval");
	}

}
