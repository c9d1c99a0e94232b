package dev.mcpconnector.approval;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/** The call waits for a human approval; retry it once the approval is granted. */
public class ApprovalPendingException extends McpConnectorException {

	private final UUID approvalId;

	public ApprovalPendingException(UUID approvalId) {
		super("approval-pending", "The call needs an approval first (request " + approvalId + ")");
		this.approvalId = approvalId;
	}

	public UUID approvalId() {
		return this.approvalId;
	}

}
