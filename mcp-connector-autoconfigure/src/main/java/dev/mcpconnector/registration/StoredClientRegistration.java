package dev.mcpconnector.registration;

import java.time.Instant;

import org.springframework.util.Assert;

/**
 * The application's client identity at one authorization server, keyed by that server's
 * {@code issuer}. It must never be used with another issuer. {@link #toString()} redacts the
 * secret.
 *
 * @param issuer the authorization server issuer
 * @param clientId the client id
 * @param clientSecret the client secret, or {@code null} for public clients
 * @param authMethod the token endpoint auth method
 * @param source how it was obtained
 * @param redirectUri the redirect URI registered with it
 * @param clientSecretExpiresAt when the secret expires, {@code null} if never
 * @param createdAt when it was stored
 */
public record StoredClientRegistration(String issuer, String clientId, String clientSecret,
		ClientAuthenticationMethod authMethod, ClientRegistrationSource source, String redirectUri, Instant clientSecretExpiresAt, Instant createdAt) {

	public StoredClientRegistration {
		Assert.hasText(issuer, "issuer cannot be empty");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.notNull(authMethod, "authMethod cannot be null");
		Assert.notNull(source, "source cannot be null");
		Assert.notNull(createdAt, "createdAt cannot be null");
	}

	@Override
	public String toString() {
		return "StoredClientRegistration[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret="
				+ ((this.clientSecret != null) ? "[REDACTED]" : "none") + ", authMethod=" + this.authMethod
				+ ", source=" + this.source + ", redirectUri=" + this.redirectUri + "]";
	}

}
