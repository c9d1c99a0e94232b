package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * The authorization server refused a token, registration or revocation request, or answered
 * with something that is not a valid OAuth response. Carries the OAuth {@code error} code
 * (such as {@code invalid_grant}, {@code invalid_client}) when there is one; never a token or
 * a secret.
 */
final class TokenRequestException extends McpConnectorException {

	private final String oauthError;

	private final int httpStatus;

	TokenRequestException(String oauthError, int httpStatus, String message) {
		super(McpConnectorErrorCode.TOKEN_REQUEST_FAILED, message);
		this.oauthError = oauthError;
		this.httpStatus = httpStatus;
	}

	/**
	 * The OAuth error code.
	 * @return the code, or {@code null} when the response carried none
	 */
	String oauthError() {
		return this.oauthError;
	}

	int httpStatus() {
		return this.httpStatus;
	}

	boolean isInvalidGrant() {
		return "invalid_grant".equals(this.oauthError);
	}

	boolean isInvalidClient() {
		return "invalid_client".equals(this.oauthError) || "unauthorized_client".equals(this.oauthError);
	}

}
