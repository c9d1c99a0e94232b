package dev.mcpconnector.approval;

import dev.mcpconnector.McpConnectorErrorCode;

import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

import org.springframework.http.ProblemDetail;

/** The call waits for a human approval; retry it once the approval is granted. */
public class ApprovalPendingException extends McpConnectorException {

	private final UUID approvalId;

	public ApprovalPendingException(UUID approvalId) {
		super(McpConnectorErrorCode.APPROVAL_PENDING, "The call needs an approval first (request " + approvalId + ")");
		this.approvalId = approvalId;
	}

	public UUID approvalId() {
		return this.approvalId;
	}

	/** Also names the approval request, so a client can show it and retry once it is granted. */
	@Override
	public ProblemDetail getBody() {
		ProblemDetail problem = super.getBody();
		problem.setProperty("approvalId", this.approvalId);
		return problem;
	}

}
