package dev.mcpconnector.registration;

import java.security.PrivateKey;

import org.springframework.util.Assert;

/**
 * The client identity to use with one authorization server. {@link #toString()} redacts the
 * secret and the key.
 *
 * @param issuer the authorization server issuer it belongs to, and only to
 * @param clientId the client id (for a client ID metadata document: its HTTPS URL)
 * @param clientSecret the secret for {@code client_secret_basic}/{@code client_secret_post}, or
 * {@code null}
 * @param authMethod the token endpoint auth method
 * @param source how it was obtained
 * @param privateKey the key for {@code private_key_jwt}, or {@code null}
 * @param keyId the key id to put in the JWT header, or {@code null}
 * @param signingAlgorithm the JWS algorithm for {@code private_key_jwt}, or {@code null}
 */
public record RegisteredClient(String issuer, String clientId, String clientSecret,
		ClientAuthenticationMethod authMethod, ClientRegistrationSource source, PrivateKey privateKey, String keyId,
		String signingAlgorithm) {

	public RegisteredClient {
		Assert.hasText(issuer, "issuer cannot be empty");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.notNull(authMethod, "authMethod cannot be null");
		Assert.notNull(source, "source cannot be null");
		if (authMethod.usesSecret()) {
			Assert.hasText(clientSecret, "clientSecret is required for " + authMethod.value());
		}
		if (authMethod == ClientAuthenticationMethod.PRIVATE_KEY_JWT) {
			Assert.notNull(privateKey, "privateKey is required for private_key_jwt");
		}
	}

	/**
	 * A public client, known by its id alone ({@link ClientAuthenticationMethod#NONE}).
	 * @param issuer the authorization server issuer
	 * @param clientId the client id
	 * @param source how it was obtained
	 * @return the client
	 */
	public static RegisteredClient publicClient(String issuer, String clientId, ClientRegistrationSource source) {
		return new RegisteredClient(issuer, clientId, null, ClientAuthenticationMethod.NONE, source, null, null, null);
	}

	/**
	 * Read a PKCS#8 PEM private key (EC or RSA) for {@code private_key_jwt}.
	 * @param pem the key, {@code -----BEGIN PRIVATE KEY-----} …
	 * @return the key
	 * @throws IllegalArgumentException when it is neither an EC nor an RSA PKCS#8 key (the
	 * message never contains key material)
	 */
	public static PrivateKey privateKeyFromPem(String pem) {
		return PrivateKeys.fromPem(pem);
	}

	public static RegisteredClient of(StoredClientRegistration stored) {
		return new RegisteredClient(stored.issuer(), stored.clientId(), stored.clientSecret(), stored.authMethod(),
				stored.source(), null, null, null);
	}

	@Override
	public String toString() {
		return "RegisteredClient[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret="
				+ ((this.clientSecret != null) ? "[REDACTED]" : "none") + ", authMethod=" + this.authMethod
				+ ", source=" + this.source + ", privateKey=" + ((this.privateKey != null) ? "[REDACTED]" : "none")
				+ "]";
	}

}
