package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.approval.ApprovalPendingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns errors of mcp-connector's controllers into RFC 9457 Problem Details with stable
 * {@code type} URIs ({@value McpConnectorErrorCode#TYPE_PREFIX}{@code <error-code>}). The status,
 * type and title come from each exception's {@link McpConnectorErrorCode}. Applies to
 * mcp-connector's own controllers only; {@link McpConnectorExceptionAdvice} answers the same way
 * for a host application's controllers. A response never carries a stack trace, a token or the
 * text of an unexpected exception.
 */
@Order(Ordered.LOWEST_PRECEDENCE - 1)
@RestControllerAdvice(assignableTypes = { McpConnectionController.class, McpAuthorizationController.class,
		McpApprovalController.class, McpAuditController.class })
class McpConnectorProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(McpConnectorProblemHandler.class);

	@ExceptionHandler(McpConnectorException.class)
	ResponseEntity<ProblemDetail> handleConnectorException(McpConnectorException ex) {
		return McpConnectorExceptionAdvice.render(ex);
	}

	/** A call that waits for a human: 202 with the approval request to show the user. */
	@ExceptionHandler(ApprovalPendingException.class)
	ResponseEntity<java.util.Map<String, Object>> handleApprovalPending(ApprovalPendingException ex) {
		return ResponseEntity.accepted()
			.body(java.util.Map.of("status", "APPROVAL_PENDING", "approvalId", ex.approvalId(), "detail",
					"The call needs an approval; retry it once the request is approved"));
	}

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ProblemDetail> handleUnexpected(RuntimeException ex) {
		logger.error("Unexpected error in mcp-connector request: {}", ex.getClass().getName());
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(problem(McpConnectorErrorCode.INTERNAL_ERROR, McpConnectorException.INTERNAL_DETAIL));
	}

	/**
	 * A problem with mcp-connector's type URI, title and status for an error code.
	 * @param error the error code
	 * @param detail the human-readable detail
	 * @return the problem
	 */
	public static ProblemDetail problem(McpConnectorErrorCode error, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(error.status(), detail);
		problem.setType(error.type());
		problem.setTitle(error.title());
		problem.setProperty("code", error.code());
		return problem;
	}

}
