package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers an mcp-connector exception that escapes a host application's own controller (say
 * {@code connection-not-found} for another user's connection id) with the Problem Details
 * of its error code (404 for that one) instead of a 500. Last in order, so any handler of the
 * host's own for these exceptions wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class McpConnectorExceptionAdvice {

	private static final Logger logger = LoggerFactory.getLogger(McpConnectorExceptionAdvice.class);

	@ExceptionHandler(McpConnectorException.class)
	ResponseEntity<ProblemDetail> handleConnectorException(McpConnectorException ex) {
		return render(ex);
	}

	static ResponseEntity<ProblemDetail> render(McpConnectorException ex) {
		if (ex.getStatusCode().is5xxServerError()) {
			logger.warn("mcp-connector request failed: {} ({})", ex.getMessage(), ex.errorCode());
		}
		return ResponseEntity.status(ex.getStatusCode()).headers(ex.getHeaders()).body(ex.getBody());
	}

}
