package dev.mcpconnector.web;

import java.net.URI;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.AuthorizationCallbackException;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.TokenRequestException;
import dev.mcpconnector.discovery.DiscoveryException;
import dev.mcpconnector.egress.EgressDeniedException;
import dev.mcpconnector.egress.EgressIoException;
import dev.mcpconnector.execution.McpExecutionException;
import dev.mcpconnector.registration.ClientRegistrationException;
import dev.mcpconnector.connection.ConcurrentConnectionUpdateException;
import dev.mcpconnector.connection.ConnectionNotFoundException;
import dev.mcpconnector.connection.InvalidConnectionRequestException;
import dev.mcpconnector.crypto.SecretDecryptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns errors of mcp-connector's controllers into RFC 9457 Problem Details with stable
 * {@code type} URIs ({@value #TYPE_PREFIX}{@code <error-code>}). Applies to mcp-connector's own
 * controllers only, leaving the host application's error handling alone. A response never
 * carries a stack trace, a token or the text of an unexpected exception.
 */
@RestControllerAdvice(assignableTypes = { McpConnectionController.class, McpAuthorizationController.class,
		McpApprovalController.class, McpAuditController.class })
public class McpConnectorProblemHandler extends ResponseEntityExceptionHandler {

	/** Prefix of every problem type URI. */
	public static final String TYPE_PREFIX = "urn:mcp-connector:problem:";

	private static final Logger logger = LoggerFactory.getLogger(McpConnectorProblemHandler.class);

	@ExceptionHandler(McpConnectorException.class)
	ResponseEntity<ProblemDetail> handleConnectorException(McpConnectorException ex) {
		HttpStatus status = statusOf(ex);
		if (status.is5xxServerError()) {
			logger.warn("mcp-connector request failed: {} ({})", ex.getMessage(), ex.errorCode());
		}
		return ResponseEntity.status(status).body(problem(status, ex.errorCode(), ex.getMessage()));
	}

	@ExceptionHandler(AuthorizationRequiredException.class)
	ResponseEntity<ProblemDetail> handleAuthorizationRequired(AuthorizationRequiredException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, ex.errorCode(), ex.getMessage());
		problem.setProperty("connectionId", ex.connectionId());
		if (ex.authorizationUrl() != null) {
			problem.setProperty("authorizationUrl", ex.authorizationUrl());
		}
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

	@ExceptionHandler(dev.mcpconnector.ratelimit.RateLimitExceededException.class)
	ResponseEntity<ProblemDetail> handleRateLimited(dev.mcpconnector.ratelimit.RateLimitExceededException ex) {
		ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, ex.errorCode(), ex.getMessage());
		problem.setProperty("scope", ex.scope().value());
		problem.setProperty("retryAfterSeconds", ex.retryAfterSeconds());
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.body(problem);
	}

	/** A call that waits for a human: 202 with the approval request to show the user. */
	@ExceptionHandler(dev.mcpconnector.approval.ApprovalPendingException.class)
	ResponseEntity<java.util.Map<String, Object>> handleApprovalPending(
			dev.mcpconnector.approval.ApprovalPendingException ex) {
		return ResponseEntity.accepted()
			.body(java.util.Map.of("status", "APPROVAL_PENDING", "approvalId", ex.approvalId(), "detail",
					"The call needs an approval; retry it once the request is approved"));
	}

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ProblemDetail> handleUnexpected(RuntimeException ex) {
		logger.error("Unexpected error in mcp-connector request: {}", ex.getClass().getName());
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "The request could not be completed"));
	}

	/**
	 * A problem with mcp-connector's type URI for an error code.
	 * @param status the status
	 * @param errorCode the error code
	 * @param detail the human-readable detail
	 * @return the problem
	 */
	public static ProblemDetail problem(HttpStatus status, String errorCode, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + errorCode));
		problem.setTitle(titleOf(errorCode));
		problem.setProperty("code", errorCode);
		return problem;
	}

	static HttpStatus statusOf(McpConnectorException ex) {
		if (ex instanceof ConnectionNotFoundException) {
			return HttpStatus.NOT_FOUND;
		}
		if (ex instanceof InvalidConnectionRequestException) {
			return HttpStatus.BAD_REQUEST;
		}
		if (ex instanceof ConcurrentConnectionUpdateException) {
			return HttpStatus.CONFLICT;
		}
		if (ex instanceof UnauthenticatedException) {
			return HttpStatus.UNAUTHORIZED;
		}
		if (ex instanceof dev.mcpconnector.authorization.InvalidIdTokenException) {
			// The authorization server answered with an ID token that fails validation.
			return HttpStatus.BAD_GATEWAY;
		}
		if (ex instanceof dev.mcpconnector.authorization.RemoteAccountMismatchException) {
			return HttpStatus.CONFLICT;
		}
		if (ex instanceof AuthorizationCallbackException || ex instanceof EgressDeniedException) {
			return HttpStatus.BAD_REQUEST;
		}
		if (ex instanceof DiscoveryException discovery) {
			return switch (discovery.errorCode()) {
				case "server-unreachable", "discovery-failed" -> HttpStatus.BAD_GATEWAY;
				default -> HttpStatus.UNPROCESSABLE_CONTENT;
			};
		}
		if (ex instanceof McpExecutionException execution) {
			return switch (execution.errorCode()) {
				case "invalid-tool-arguments" -> HttpStatus.BAD_REQUEST;
				case "tool-not-found" -> HttpStatus.NOT_FOUND;
				case "upstream-timeout" -> HttpStatus.GATEWAY_TIMEOUT;
				default -> HttpStatus.BAD_GATEWAY;
			};
		}
		if (ex instanceof dev.mcpconnector.execution.McpToolExecutor.AuthenticationRequiredException) {
			return HttpStatus.UNAUTHORIZED;
		}
		if (ex instanceof EgressIoException io) {
			return io.isTimeout() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
		}
		if (ex instanceof TokenRequestException || ex instanceof ClientRegistrationException) {
			return HttpStatus.BAD_GATEWAY;
		}
		if (ex instanceof dev.mcpconnector.policy.ToolDeniedException
				|| ex instanceof dev.mcpconnector.approval.ApprovalDeniedException) {
			return HttpStatus.FORBIDDEN;
		}
		if (ex instanceof dev.mcpconnector.ratelimit.RateLimitExceededException) {
			return HttpStatus.TOO_MANY_REQUESTS;
		}
		if (ex instanceof dev.mcpconnector.approval.ApprovalNotFoundException) {
			return HttpStatus.NOT_FOUND;
		}
		if (ex instanceof dev.mcpconnector.connection.StorageUnavailableException) {
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		if (ex instanceof SecretDecryptionException) {
			return HttpStatus.INTERNAL_SERVER_ERROR;
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static String titleOf(String errorCode) {
		String words = errorCode.replace('-', ' ');
		return Character.toUpperCase(words.charAt(0)) + words.substring(1);
	}

}
