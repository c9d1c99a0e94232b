package dev.mcpconnector.approval;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

/** A human denied this call. */
public class ApprovalDeniedException extends McpConnectorException {

	public ApprovalDeniedException(UUID approvalId) {
		super(McpConnectorErrorCode.APPROVAL_DENIED, "The call was denied (request " + approvalId + ")");
	}

}
