package dev.mcpconnector.registration;

import java.util.Locale;

import org.springframework.util.Assert;

/**
 * How a client authenticates at an authorization server's token, revocation and registration
 * endpoints (the {@code token_endpoint_auth_method} values of RFC 7591 mcp-connector speaks).
 */
public enum ClientAuthenticationMethod {

	/** No client authentication: a public client sends its {@code client_id}. */
	NONE("none"),

	/** The client id and secret in an HTTP Basic {@code Authorization} header. */
	CLIENT_SECRET_BASIC("client_secret_basic"),

	/** The client id and secret as form parameters. */
	CLIENT_SECRET_POST("client_secret_post"),

	/** A JWT signed with the client's private key (RFC 7523). */
	PRIVATE_KEY_JWT("private_key_jwt");

	private final String value;

	ClientAuthenticationMethod(String value) {
		this.value = value;
	}

	/**
	 * The registered name, as it appears in metadata and registration requests.
	 * @return the value, such as {@code client_secret_basic}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Whether this method sends a client secret.
	 * @return whether a secret is required
	 */
	public boolean usesSecret() {
		return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
	}

	/**
	 * The method with this registered name.
	 * @param value the name, such as {@code client_secret_post} (case-insensitive)
	 * @return the method
	 * @throws IllegalArgumentException when mcp-connector does not speak it
	 */
	public static ClientAuthenticationMethod of(String value) {
		Assert.hasText(value, "value cannot be empty");
		String normalized = value.trim().toLowerCase(Locale.ROOT);
		for (ClientAuthenticationMethod method : values()) {
			if (method.value.equals(normalized)) {
				return method;
			}
		}
		throw new IllegalArgumentException("Unsupported client authentication method '" + value
				+ "' (use none, client_secret_basic, client_secret_post or private_key_jwt)");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
