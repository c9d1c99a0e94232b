package dev.mcpconnector;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Every error mcp-connector reports, with its stable code, the HTTP status the web layer answers
 * with, and a short title. The Problem Details {@code type} of each is
 * {@value #TYPE_PREFIX}{@code <code>}. Codes are part of the public contract: they appear in
 * Problem Details, audit rows, metrics tags and tool messages, and are never renamed.
 */
public enum McpConnectorErrorCode {

	// connections
	CONNECTION_NOT_FOUND("connection-not-found", HttpStatus.NOT_FOUND, "Connection not found"),
	INVALID_CONNECTION_REQUEST("invalid-connection-request", HttpStatus.BAD_REQUEST, "Invalid connection request"),
	CONNECTION_CONCURRENTLY_MODIFIED("connection-concurrently-modified", HttpStatus.CONFLICT,
			"Connection concurrently modified"),
	STORAGE_UNAVAILABLE("storage-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable"),
	UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
	INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request"),
	GATEWAY_TOKEN_NOT_FOUND("gateway-token-not-found", HttpStatus.NOT_FOUND, "Gateway token not found"),

	// discovery and registration
	SERVER_UNREACHABLE("server-unreachable", HttpStatus.BAD_GATEWAY, "Server unreachable"),
	NOT_AN_MCP_SERVER("not-an-mcp-server", HttpStatus.UNPROCESSABLE_CONTENT, "Not an MCP server"),
	DISCOVERY_FAILED("discovery-failed", HttpStatus.BAD_GATEWAY, "Discovery failed"),
	RESOURCE_METADATA_MISMATCH("resource-metadata-mismatch", HttpStatus.UNPROCESSABLE_CONTENT,
			"Resource metadata mismatch"),
	ISSUER_MISMATCH("issuer-mismatch", HttpStatus.UNPROCESSABLE_CONTENT, "Issuer mismatch"),
	PKCE_UNSUPPORTED("pkce-unsupported", HttpStatus.UNPROCESSABLE_CONTENT, "PKCE unsupported"),
	INSECURE_ENDPOINT("insecure-endpoint", HttpStatus.UNPROCESSABLE_CONTENT, "Insecure endpoint"),
	CLIENT_REGISTRATION_FAILED("client-registration-failed", HttpStatus.BAD_GATEWAY, "Client registration failed"),

	// authorization
	AUTHORIZATION_REQUIRED("authorization-required", HttpStatus.CONFLICT, "Authorization required"),
	STEP_UP_REQUIRED("step-up-required", HttpStatus.CONFLICT, "Step up required"),
	INVALID_AUTHORIZATION_CALLBACK("invalid-authorization-callback", HttpStatus.BAD_REQUEST,
			"Invalid authorization callback"),
	INVALID_ID_TOKEN("invalid-id-token", HttpStatus.BAD_GATEWAY, "Invalid ID token"),
	REMOTE_ACCOUNT_MISMATCH("remote-account-mismatch", HttpStatus.CONFLICT, "Remote account mismatch"),
	TOKEN_REQUEST_FAILED("token-request-failed", HttpStatus.BAD_GATEWAY, "Token request failed"),

	// egress
	EGRESS_DENIED("egress-denied", HttpStatus.BAD_REQUEST, "Egress denied"),

	// execution
	INVALID_TOOL_ARGUMENTS("invalid-tool-arguments", HttpStatus.BAD_REQUEST, "Invalid tool arguments"),
	TOOL_NOT_FOUND("tool-not-found", HttpStatus.NOT_FOUND, "Tool not found"),
	SESSION_NOT_FOUND("session-not-found", HttpStatus.NOT_FOUND, "Session not found"),
	UPSTREAM_TIMEOUT("upstream-timeout", HttpStatus.GATEWAY_TIMEOUT, "Upstream timeout"),
	UPSTREAM_ERROR("upstream-error", HttpStatus.BAD_GATEWAY, "Upstream error"),
	UPSTREAM_UNREACHABLE("upstream-unreachable", HttpStatus.BAD_GATEWAY, "Upstream unreachable"),

	// governance
	TOOL_DENIED("tool-denied", HttpStatus.FORBIDDEN, "Tool denied"),
	APPROVAL_PENDING("approval-pending", HttpStatus.ACCEPTED, "Approval pending"),
	APPROVAL_DENIED("approval-denied", HttpStatus.FORBIDDEN, "Approval denied"),
	APPROVAL_NOT_FOUND("approval-not-found", HttpStatus.NOT_FOUND, "Approval not found"),
	RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limited"),
	/** The user already has as many live sessions or calls in flight as the operator allows. */
	OWNER_LIMIT_REACHED("owner-limit-reached", HttpStatus.TOO_MANY_REQUESTS, "Owner limit reached"),
	/** The user already has as many connections as the operator allows. */
	CONNECTION_LIMIT_REACHED("connection-limit-reached", HttpStatus.CONFLICT, "Connection limit reached"),

	// secrets
	SECRET_DECRYPTION_FAILED("secret-decryption-failed", HttpStatus.INTERNAL_SERVER_ERROR,
			"Secret decryption failed"),
	INVALID_ENCRYPTION_KEY("invalid-encryption-key", HttpStatus.INTERNAL_SERVER_ERROR, "Invalid encryption key"),
	KEY_STILL_IN_USE("key-still-in-use", HttpStatus.CONFLICT, "Key still in use"),

	/** Anything not meant to happen; its text never reaches a response. */
	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	/** Prefix of every problem type URI. */
	public static final String TYPE_PREFIX = "urn:mcp-connector:problem:";

	private final String code;

	private final HttpStatus status;

	private final String title;

	McpConnectorErrorCode(String code, HttpStatus status, String title) {
		this.code = code;
		this.status = status;
		this.title = title;
	}

	/**
	 * The stable, lower-case, hyphenated code, such as {@code connection-not-found}.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	/**
	 * The HTTP status a web answer carries for this error.
	 * @return the status
	 */
	public HttpStatus status() {
		return this.status;
	}

	/**
	 * A short, constant title.
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * The Problem Details type URI.
	 * @return {@value #TYPE_PREFIX}{@code <code>}
	 */
	public URI type() {
		return URI.create(TYPE_PREFIX + this.code);
	}

	/**
	 * The constant of a code.
	 * @param code a code such as {@code tool-denied}
	 * @return the constant
	 * @throws IllegalArgumentException when no constant has that code
	 */
	public static McpConnectorErrorCode ofCode(String code) {
		for (McpConnectorErrorCode value : values()) {
			if (value.code.equals(code)) {
				return value;
			}
		}
		throw new IllegalArgumentException("Unknown mcp-connector error code '" + code + "'");
	}

	@Override
	public String toString() {
		return this.code.toUpperCase(Locale.ROOT);
	}

}
