package dev.mcpconnector.execution;

/**
 * An HTTP exchange of a session's transport that the server answered with an error status,
 * as {@link ExchangeRecorder} saw it on the wire. The MCP SDK reports most statuses only in
 * its messages; this type carries them, so decisions read a number, not text.
 */
final class UpstreamHttpStatusException extends RuntimeException {

	private final String method;

	private final int status;

	private final boolean inSession;

	/**
	 * @param method the request's method
	 * @param status the response's status
	 * @param inSession whether the request carried an {@code Mcp-Session-Id}
	 */
	UpstreamHttpStatusException(String method, int status, boolean inSession) {
		super("The server answered " + method + " with HTTP " + status, null, false, false);
		this.method = method;
		this.status = status;
		this.inSession = inSession;
	}

	String method() {
		return this.method;
	}

	int status() {
		return this.status;
	}

	boolean inSession() {
		return this.inSession;
	}

	boolean isPost() {
		return "POST".equalsIgnoreCase(this.method);
	}

}
