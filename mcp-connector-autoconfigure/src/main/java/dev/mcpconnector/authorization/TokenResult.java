package dev.mcpconnector.authorization;

import java.time.Instant;
import java.util.Set;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.DpopKey;

/**
 * Tokens from a token response. {@link #toString()} redacts them.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token, or {@code null}
 * @param tokenType the token type
 * @param expiresAt when the access token expires, or {@code null}
 * @param scopes the granted scopes, or empty when the response named none
 * @param idToken the OpenID Connect ID token, or {@code null}
 * @param dpopKey the key a DPoP-bound token is bound to, or {@code null}
 */
record TokenResult(String accessToken, String refreshToken, String tokenType, Instant expiresAt,
		Set<String> scopes, String idToken, DpopKey dpopKey) {

	public TokenResult {
		scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
	}

	TokenResult(String accessToken, String refreshToken, String tokenType, Instant expiresAt, Set<String> scopes,
			String idToken) {
		this(accessToken, refreshToken, tokenType, expiresAt, scopes, idToken, null);
	}

	/**
	 * Credentials to store. A response without a refresh token keeps the previous one, and one
	 * without scopes keeps the requested scopes.
	 * @param previousRefreshToken the refresh token held before, or {@code null}
	 * @param requestedScopes the scopes requested
	 * @param clientId the client the tokens were issued to
	 * @return the credentials
	 */
	public ConnectionCredentials toCredentials(String previousRefreshToken, Set<String> requestedScopes,
			String clientId) {
		String refresh = (this.refreshToken != null) ? this.refreshToken : previousRefreshToken;
		Set<String> granted = !this.scopes.isEmpty() ? this.scopes : requestedScopes;
		return new ConnectionCredentials(this.accessToken, refresh, this.tokenType, this.expiresAt, granted, clientId,
				this.dpopKey);
	}

	@Override
	public String toString() {
		return "TokenResult[accessToken=[REDACTED], refreshToken=" + ((this.refreshToken != null) ? "[REDACTED]" : "none")
				+ ", tokenType=" + this.tokenType + ", expiresAt=" + this.expiresAt + ", scopes=" + this.scopes + "]";
	}

}
