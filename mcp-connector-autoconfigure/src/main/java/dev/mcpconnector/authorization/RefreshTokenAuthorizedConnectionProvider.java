package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * Renews an access token with the connection's refresh token when the token expired (within
 * the clock skew) or the caller found it refused. A new refresh token replaces the old; a
 * response without one keeps it. A refreshed ID token must name the account the connection was
 * authorized as (a refreshed grant that fails this is revoked), and its display claims follow,
 * but for those it leaves out.
 */
final class RefreshTokenAuthorizedConnectionProvider implements AuthorizedConnectionProvider {

	private final TokenEndpointClient tokens;

	private final ClientRegistrationResolver registrations;

	private final IdTokenVerifier idTokens;

	private final Clock clock;

	private final Duration clockSkew;

	/**
	 * @param tokens the token endpoint client
	 * @param registrations forgets a client the authorization server rejected
	 * @param idTokens checks refreshed ID tokens, or {@code null} when OpenID Connect is off
	 * @param clock the clock
	 * @param clockSkew how long before its expiry an access token counts as expired
	 */
	RefreshTokenAuthorizedConnectionProvider(TokenEndpointClient tokens, ClientRegistrationResolver registrations,
			IdTokenVerifier idTokens, Clock clock, Duration clockSkew) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.isTrue(clockSkew != null && !clockSkew.isNegative(), "clockSkew must not be negative");
		this.tokens = tokens;
		this.registrations = registrations;
		this.idTokens = idTokens;
		this.clock = clock;
		this.clockSkew = clockSkew;
	}

	@Override
	public AuthorizedConnection authorize(AuthorizationContext context) {
		Assert.notNull(context, "context cannot be null");
		ConnectionCredentials current = context.credentials();
		if (current == null || !current.hasRefreshToken()) {
			return null;
		}
		if (!context.isRenewalRequested() && !current.isExpired(this.clock.instant(), this.clockSkew)) {
			return null;
		}
		AuthorizationServerMetadata server = context.server();
		RegisteredClient client = context.client()
			.orElseThrow(() -> new UnusableGrantException("The client registration is gone"));
		if (!current.isIssuedTo(client.clientId())) {
			// Registered again, or configured anew: the grant is another client's, and is never
			// sent with this one (nor would the server accept it).
			throw new UnusableGrantException("The grant was issued to another client than the one now in use with "
					+ server.issuer());
		}
		TokenResult result;
		try {
			result = this.tokens.refresh(client, server, current.refreshToken(), context.resource(), current.dpopKey());
		}
		catch (TokenRequestException ex) {
			if (ex.isInvalidGrant()) {
				throw new UnusableGrantException("The authorization server no longer accepts the grant");
			}
			if (ex.isInvalidClient()) {
				this.registrations.forget(client);
				throw new UnusableGrantException("The authorization server rejected the client");
			}
			throw ex;
		}
		McpConnection connection = checkIdentity(context.connection(), server, client, result);
		return new AuthorizedConnection(connection, result.toCredentials(current.refreshToken(), current.scopes(),
				client.clientId()));
	}

	/**
	 * A refresh that returned an ID token for a connection signed in as a remote account: the
	 * token is checked like the first one (but for the nonce, which a refreshed ID token need not
	 * carry) and must name the same subject; then the display claims follow it.
	 */
	private McpConnection checkIdentity(McpConnection connection, AuthorizationServerMetadata server,
			RegisteredClient client, TokenResult result) {
		RemoteAccount known = connection.remoteAccount();
		if (this.idTokens == null || known == null || result.idToken() == null) {
			return connection;
		}
		RemoteAccount refreshed;
		try {
			refreshed = this.idTokens.verify(result.idToken(), server, client.clientId(), null);
		}
		catch (InvalidIdTokenException ex) {
			// The refreshed grant is discarded (and the old refresh token may be rotated away),
			// but not revoked when only the server's keys could not be fetched: an outage at the
			// issuer must not end a grant whose refresh token may still be the stored one.
			if (ex.reason() != InvalidIdTokenException.Reason.KEYS_UNAVAILABLE) {
				TokenRevoker.revoke(this.tokens, client, server, result.accessToken(), result.refreshToken());
			}
			throw new UnusableGrantException("The refreshed ID token was refused", ex);
		}
		if (!refreshed.isSameAccountAs(known)) {
			TokenRevoker.revoke(this.tokens, client, server, result.accessToken(), result.refreshToken());
			throw new UnusableGrantException("The refreshed ID token names another account",
					new McpConnectorException(McpConnectorErrorCode.REMOTE_ACCOUNT_MISMATCH, "The authorization server "
							+ server.issuer() + " answered a refresh for another account than the connection was"
							+ " authorized as; authorize it again"));
		}
		// A display claim the refreshed token leaves out (one that came from userinfo) is kept.
		RemoteAccount updated = new RemoteAccount(refreshed.subject(), firstOf(refreshed.name(), known.name()),
				firstOf(refreshed.preferredUsername(), known.preferredUsername()),
				firstOf(refreshed.email(), known.email()));
		return updated.equals(known) ? connection
				: connection.withRemoteAccount(updated, this.clock.instant().truncatedTo(ChronoUnit.MICROS));
	}

	private static String firstOf(String refreshed, String known) {
		return (refreshed != null) ? refreshed : known;
	}

}
