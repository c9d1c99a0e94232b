package dev.mcpconnector;

/**
 * Base type of every exception mcp-connector throws on purpose. Each subclass carries a
 * stable, machine-readable {@linkplain #errorCode() error code}; the web layer maps it to an
 * RFC 9457 problem type. Messages never contain a token, code, verifier or secret.
 */
public abstract class McpConnectorException extends RuntimeException {

	private final String errorCode;

	protected McpConnectorException(String errorCode, String message) {
		this(errorCode, message, null);
	}

	protected McpConnectorException(String errorCode, String message, Throwable cause) {
		super(message, cause);
		this.errorCode = errorCode;
	}

	/**
	 * A stable, lower-case, hyphenated code such as {@code connection-not-found}.
	 * @return the error code
	 */
	public String errorCode() {
		return this.errorCode;
	}

}
