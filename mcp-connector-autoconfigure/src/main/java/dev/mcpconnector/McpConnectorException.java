package dev.mcpconnector;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.util.Assert;
import org.springframework.web.ErrorResponse;

/**
 * Base type of every exception mcp-connector throws on purpose. Each carries an
 * {@linkplain #error() error code} that decides its HTTP status and Problem Details type.
 * Messages never contain a token, code, verifier or secret.
 * <p>
 * It is an {@link ErrorResponse}: one thrown through a host application's own controller is
 * answered as the same RFC 9457 Problem Details that mcp-connector's REST API gives.
 * <p>
 * Most errors are this class with a code: a caller tells them apart by {@link #error()}, not by
 * type. Subclasses exist only where the error carries something a caller acts on (the URL to
 * send a user to, an approval to wait for, when to retry).
 */
public class McpConnectorException extends RuntimeException implements ErrorResponse {

	/** The detail of every HTTP 500 answer. */
	public static final String INTERNAL_DETAIL = "The request could not be completed";

	private final McpConnectorErrorCode error;

	/**
	 * An error with a code and a message that holds no secret.
	 * @param error the error code
	 * @param message what went wrong, safe to log and (below HTTP 500) to show
	 */
	public McpConnectorException(McpConnectorErrorCode error, String message) {
		this(error, message, null);
	}

	/**
	 * An error with a code, a message that holds no secret, and its cause.
	 * @param error the error code
	 * @param message what went wrong, safe to log and (below HTTP 500) to show
	 * @param cause the underlying exception, or {@code null}
	 */
	public McpConnectorException(McpConnectorErrorCode error, String message, Throwable cause) {
		super(message, cause);
		Assert.notNull(error, "error cannot be null");
		this.error = error;
	}

	/**
	 * What went wrong, as one of a fixed set of codes.
	 * @return the error code
	 */
	public McpConnectorErrorCode error() {
		return this.error;
	}

	/**
	 * The stable, lower-case, hyphenated code such as {@code connection-not-found}.
	 * @return {@code error().code()}
	 */
	public String errorCode() {
		return this.error.code();
	}

	@Override
	public HttpStatusCode getStatusCode() {
		return this.error.status();
	}

	@Override
	public HttpHeaders getHeaders() {
		return HttpHeaders.EMPTY;
	}

	/**
	 * The Problem Details of this error: type, title, status, detail and a {@code code}
	 * property. The detail is the message, except for errors of our own making (HTTP 500: a key
	 * or a stored secret that does not decrypt), whose message speaks of keys and rows and stays
	 * in the log. Subclasses add what a client needs to act on it.
	 */
	@Override
	public ProblemDetail getBody() {
		String detail = (this.error.status() == HttpStatus.INTERNAL_SERVER_ERROR) ? INTERNAL_DETAIL : getMessage();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.error.status(), detail);
		problem.setType(this.error.type());
		problem.setTitle(this.error.title());
		problem.setProperty("code", this.error.code());
		return problem;
	}

}
