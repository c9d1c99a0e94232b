package dev.mcpconnector.authorization;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import org.springframework.util.Assert;

/**
 * An authorization request on its way through the user's browser: what the callback needs to
 * check and redeem the code. Recorded before redirecting, consumed once. The {@code state} is
 * only ever stored as its hash, so is the OpenID Connect {@code nonce}; the PKCE verifier is stored
 * encrypted. {@link #toString()} redacts the verifier.
 *
 * @param stateHash hex SHA-256 of the {@code state} parameter
 * @param owner who started it
 * @param connectionId the connection it authorizes
 * @param codeVerifier the PKCE code verifier
 * @param issuer the validated authorization server issuer (RFC 9207 {@code iss} check)
 * @param requestedScopes the scopes requested
 * @param redirectUri the redirect URI sent
 * @param returnTo where to send the browser afterwards, or {@code null}
 * @param createdAt when it was created
 * @param expiresAt when it stops being accepted
 * @param nonceHash hex SHA-256 of the OpenID Connect {@code nonce} sent, or {@code null} when the
 * request asked for no ID token
 */
public record PendingAuthorization(String stateHash, McpOwner owner, UUID connectionId, String codeVerifier,
		String issuer, Set<String> requestedScopes, String redirectUri, String returnTo, Instant createdAt,
		Instant expiresAt, String nonceHash) {

	/**
	 * A pending authorization that asked for no ID token.
	 */
	public PendingAuthorization(String stateHash, McpOwner owner, UUID connectionId, String codeVerifier,
			String issuer, Set<String> requestedScopes, String redirectUri, String returnTo, Instant createdAt,
			Instant expiresAt) {
		this(stateHash, owner, connectionId, codeVerifier, issuer, requestedScopes, redirectUri, returnTo, createdAt,
				expiresAt, null);
	}

	public PendingAuthorization {
		Assert.hasText(stateHash, "stateHash cannot be empty");
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		Assert.hasText(codeVerifier, "codeVerifier cannot be empty");
		Assert.hasText(issuer, "issuer cannot be empty");
		Assert.hasText(redirectUri, "redirectUri cannot be empty");
		Assert.notNull(createdAt, "createdAt cannot be null");
		Assert.notNull(expiresAt, "expiresAt cannot be null");
		requestedScopes = (requestedScopes != null) ? Set.copyOf(requestedScopes) : Set.of();
		Assert.isTrue(nonceHash == null || nonceHash.matches("[0-9a-f]{64}"), "nonceHash must be a hex SHA-256");
	}

	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	@Override
	public String toString() {
		return "PendingAuthorization[stateHash=" + this.stateHash + ", owner=" + this.owner + ", connectionId="
				+ this.connectionId + ", codeVerifier=[REDACTED], issuer=" + this.issuer + ", requestedScopes="
				+ this.requestedScopes + ", expiresAt=" + this.expiresAt + ", nonceHash=" + this.nonceHash + "]";
	}

}
