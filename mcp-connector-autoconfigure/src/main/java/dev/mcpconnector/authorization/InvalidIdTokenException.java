package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

/**
 * The authorization server's OpenID Connect ID token was refused: it is signed with an algorithm
 * that cannot be verified, no key fits it, its signature does not verify against the server's
 * {@code jwks_uri} keys, or its issuer, audience, expiry or nonce is wrong,
 * or the keys could not be fetched. Nothing from the token response is stored. The message names
 * what failed and never carries the token or any of its claims.
 */
final class InvalidIdTokenException extends McpConnectorException {

	private final Reason reason;

	InvalidIdTokenException(Reason reason, String issuer) {
		super(McpConnectorErrorCode.INVALID_ID_TOKEN, "The ID token from " + issuer + " was refused: " + reason.description);
		this.reason = reason;
	}

	/**
	 * What failed.
	 * @return the reason
	 */
	Reason reason() {
		return this.reason;
	}

	/** Why an ID token was refused. */
	enum Reason {

		/** Not a JWT, or not signed. */
		MALFORMED("it is not a signed JWT"),

		/**
		 * Signed with an algorithm the authorization server does not advertise or mcp-connector
		 * cannot verify.
		 */
		UNSUPPORTED_ALGORITHM("it is signed with an algorithm that the authorization server does not advertise"
				+ " or mcp-connector cannot verify"),

		/** No key of the server's JWK set fits the token's key id and algorithm. */
		NO_MATCHING_KEY("no key of the authorization server's JWK set matches its key id and algorithm"),

		/** The signature does not verify with any key of the server's JWK set. */
		SIGNATURE("its signature does not verify with the authorization server's keys"),

		/** The server's JWK set could not be fetched or read. */
		KEYS_UNAVAILABLE("the authorization server's keys could not be fetched"),

		/** {@code iss} is not the authorization server. */
		ISSUER("it was issued by another issuer"),

		/** {@code aud} (or {@code azp}) is not this client. */
		AUDIENCE("it is meant for another client"),

		/** {@code exp} has passed, or {@code iat} lies in the future. */
		EXPIRED("it has expired or is not valid yet"),

		/** {@code nonce} is missing or not the one this authorization request sent. */
		NONCE("its nonce is not the one this authorization request sent"),

		/** Another required claim is missing or malformed. */
		CLAIMS("a required claim is missing or malformed");

		private final String description;

		Reason(String description) {
			this.description = description;
		}

	}

}
