package dev.mcpconnector.approval;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/** A human denied this call. */
public class ApprovalDeniedException extends McpConnectorException {

	public ApprovalDeniedException(UUID approvalId) {
		super("approval-denied", "The call was denied (request " + approvalId + ")");
	}

}
