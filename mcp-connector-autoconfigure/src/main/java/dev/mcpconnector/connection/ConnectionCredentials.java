package dev.mcpconnector.connection;

import java.time.Instant;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * The tokens of a connection. Stored encrypted; {@link #toString()} redacts every token.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token, or {@code null} when none was issued
 * @param tokenType the token type, normally {@code Bearer}
 * @param expiresAt when the access token expires, or {@code null} when unknown
 * @param scopes the scopes the token carries
 * @param clientId the client id the grant was issued to, so that it is refreshed and revoked by
 * that client only; {@code null} for credentials stored before it was kept, which go with the
 * authorization server's current client
 * @param dpopKey the key the tokens are bound to (RFC 9449), or {@code null} for bearer tokens
 */
public record ConnectionCredentials(String accessToken, String refreshToken, String tokenType, Instant expiresAt,
		Set<String> scopes, String clientId, DpopKey dpopKey) {

	/** The {@code token_type} (and {@code Authorization} scheme) of a DPoP-bound token. */
	public static final String DPOP = "DPoP";

	public ConnectionCredentials {
		Assert.hasText(accessToken, "accessToken cannot be empty");
		tokenType = (tokenType != null && !tokenType.isBlank()) ? tokenType : "Bearer";
		scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
	}

	/**
	 * Whether the access token is DPoP-bound: it is sent as {@code Authorization: DPoP} with a
	 * proof from {@link #dpopKey()} (without one when the key is missing, which the server
	 * refuses), never as {@code Bearer}.
	 * @return whether it is bound
	 */
	public boolean isDpopBound() {
		return DPOP.equalsIgnoreCase(this.tokenType);
	}

	/**
	 * Bearer credentials whose client is not known (it is then the authorization server's current one).
	 * @param accessToken the access token
	 * @param refreshToken the refresh token, or {@code null}
	 * @param tokenType the token type
	 * @param expiresAt when the access token expires, or {@code null}
	 * @param scopes the scopes the token carries
	 */
	public ConnectionCredentials(String accessToken, String refreshToken, String tokenType, Instant expiresAt,
			Set<String> scopes) {
		this(accessToken, refreshToken, tokenType, expiresAt, scopes, null, null);
	}

	/**
	 * Bearer credentials issued to a known client.
	 * @param accessToken the access token
	 * @param refreshToken the refresh token, or {@code null}
	 * @param tokenType the token type
	 * @param expiresAt when the access token expires, or {@code null}
	 * @param scopes the scopes the token carries
	 * @param clientId the client the grant was issued to, or {@code null} when not known
	 */
	public ConnectionCredentials(String accessToken, String refreshToken, String tokenType, Instant expiresAt,
			Set<String> scopes, String clientId) {
		this(accessToken, refreshToken, tokenType, expiresAt, scopes, clientId, null);
	}

	/**
	 * Whether a client may refresh or revoke this grant: the one it was issued to, or any when
	 * that is not known.
	 * @param candidate the client id at hand
	 * @return whether it is the grant's client
	 */
	public boolean isIssuedTo(String candidate) {
		return this.clientId == null || this.clientId.equals(candidate);
	}

	/**
	 * Whether the access token expires within the given skew of {@code now}.
	 * @param now the current time
	 * @param skew how early to treat a token as expired
	 * @return whether it should be refreshed
	 */
	public boolean isExpired(Instant now, java.time.Duration skew) {
		return this.expiresAt != null && !now.plus(skew).isBefore(this.expiresAt);
	}

	public boolean hasRefreshToken() {
		return this.refreshToken != null && !this.refreshToken.isEmpty();
	}

	@Override
	public String toString() {
		return "ConnectionCredentials[accessToken=[REDACTED], refreshToken="
				+ (hasRefreshToken() ? "[REDACTED]" : "none") + ", tokenType=" + this.tokenType + ", expiresAt="
				+ this.expiresAt + ", scopes=" + this.scopes + ", clientId=" + this.clientId
				+ ((this.dpopKey != null) ? ", " + this.dpopKey : "") + "]";
	}

}
