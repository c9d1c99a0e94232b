package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.registration.ClientRegistrationResolver;

import org.springframework.util.Assert;

/**
 * The {@link AuthorizedConnectionManager} over the connection service: loads the stored
 * credentials, asks the provider chain for new ones when they expire (or were refused), hands
 * the result to the success handler (store) or the failure to the failure handler (mark
 * {@link ConnectionStatus#REAUTHORIZATION_REQUIRED} and audit). Renewals of one connection are
 * serialized by a lock per connection in this instance and by the {@link RefreshLock} across
 * instances, so a rotated refresh token is never lost to a concurrent renewal with the old one.
 */
final class DefaultAuthorizedConnectionManager implements AuthorizedConnectionManager {

	private final McpConnectionService connections;

	private final AuthorizationServers servers;

	private final ClientRegistrationResolver registrations;

	private final AuthorizedConnectionProvider provider;

	private final AuthorizationSuccessHandler successHandler;

	private final AuthorizationFailureHandler failureHandler;

	private final RefreshLock refreshLock;

	private final Clock clock;

	private final Duration clockSkew;

	/** The in-process lock of each connection being renewed, dropped when no caller holds or awaits it. */
	private final ConcurrentMap<UUID, LocalLock> localLocks = new ConcurrentHashMap<>();

	DefaultAuthorizedConnectionManager(McpConnectionService connections, AuthorizationServers servers,
			ClientRegistrationResolver registrations, AuthorizedConnectionProvider provider,
			AuthorizationSuccessHandler successHandler, AuthorizationFailureHandler failureHandler,
			RefreshLock refreshLock, Clock clock, Duration clockSkew) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(servers, "servers cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(provider, "provider cannot be null");
		Assert.notNull(successHandler, "successHandler cannot be null");
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		Assert.notNull(refreshLock, "refreshLock cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.isTrue(clockSkew != null && !clockSkew.isNegative(), "clockSkew must not be negative");
		this.connections = connections;
		this.servers = servers;
		this.registrations = registrations;
		this.provider = provider;
		this.successHandler = successHandler;
		this.failureHandler = failureHandler;
		this.refreshLock = refreshLock;
		this.clock = clock;
		this.clockSkew = clockSkew;
	}

	@Override
	public Optional<ConnectionCredentials> authorize(McpOwner owner, UUID connectionId) {
		Optional<ConnectionCredentials> stored = this.connections.findCredentials(owner, connectionId);
		if (stored.isEmpty()) {
			// Needs no token, or is not this owner's: another user's id behaves like a missing one.
			this.connections.get(owner, connectionId);
			return stored;
		}
		if (stored.get().isExpired(this.clock.instant(), this.clockSkew)) {
			return Optional.of(serialized(owner, connectionId, null, false));
		}
		return stored;
	}

	@Override
	public ConnectionCredentials reauthorize(McpOwner owner, UUID connectionId, String refusedAccessToken) {
		return serialized(owner, connectionId, refusedAccessToken, true);
	}

	private ConnectionCredentials serialized(McpOwner owner, UUID connectionId, String refusedAccessToken,
			boolean refused) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		LocalLock lock = this.localLocks.compute(connectionId,
				(id, held) -> (held != null) ? held.enter() : new LocalLock());
		try {
			synchronized (lock) {
				return this.refreshLock.withLock(connectionId,
						() -> renew(owner, connectionId, refusedAccessToken, refused));
			}
		}
		finally {
			this.localLocks.computeIfPresent(connectionId, (id, held) -> held.leave() ? null : held);
		}
	}

	/**
	 * Renew the credentials, unless another caller did while this one waited: the token was
	 * found expired and the stored one is not, or it was refused and the stored one is another
	 * that has not expired.
	 */
	private ConnectionCredentials renew(McpOwner owner, UUID connectionId, String refusedAccessToken,
			boolean refused) {
		Optional<ConnectionCredentials> stored = this.connections.findCredentials(owner, connectionId);
		if (stored.isEmpty()) {
			// Not this owner's connection: not found, and nothing audited or marked.
			this.connections.get(owner, connectionId);
			throw this.failureHandler.onAuthorizationFailure(owner, connectionId,
					new UnusableGrantException("The connection has no stored grant"));
		}
		ConnectionCredentials current = stored.get();
		boolean expired = current.isExpired(this.clock.instant(), this.clockSkew);
		boolean renewedMeanwhile = refused ? (refusedAccessToken != null
				&& !current.accessToken().equals(refusedAccessToken) && !expired) : !expired;
		if (renewedMeanwhile) {
			return current;
		}
		McpConnection connection = this.connections.get(owner, connectionId);
		AuthorizationContext context = AuthorizationContext.renewal(owner, connection, current, refused,
				() -> this.servers.metadataFor(connection, connection.issuer()),
				(server) -> this.registrations.current(server, connection.resourceUri()));
		return authorize(context).credentials();
	}

	/**
	 * Run the provider chain for a context and keep its result. A failed renewal goes to the
	 * failure handler; a failed first authorization reaches the caller as it is.
	 * @param context the context
	 * @return the result as stored
	 */
	AuthorizedConnection authorize(AuthorizationContext context) {
		AuthorizedConnection authorized;
		try {
			authorized = this.provider.authorize(context);
			if (authorized == null) {
				throw context.isRenewal()
						? new UnusableGrantException("The access token expired and no refresh token was issued")
						: new IllegalStateException("No provider can authorize " + context);
			}
		}
		catch (RuntimeException ex) {
			if (!context.isRenewal()) {
				throw ex;
			}
			throw this.failureHandler.onAuthorizationFailure(context.owner(), context.connection().id(), ex);
		}
		return this.successHandler.onAuthorizationSuccess(context, authorized);
	}

	/** How many connections have an in-process lock now (for tests). */
	int localLockCount() {
		return this.localLocks.size();
	}

	@Override
	public AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId, BearerChallenge challenge) {
		Assert.notNull(challenge, "challenge cannot be null");
		McpConnection connection = this.connections.get(owner, connectionId);
		Set<String> scopes = new LinkedHashSet<>(connection.requestedScopes());
		scopes.addAll(connection.grantedScopes());
		scopes.addAll(challenge.scopes());
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		this.connections
			.update(connection.withAuthorizationTarget(connection.resourceUri(), connection.issuer(), scopes, now)
				.withStatus(ConnectionStatus.REAUTHORIZATION_REQUIRED, now));
		return new AuthorizationRequiredException(connectionId, null, true,
				"The server needs more permissions: " + String.join(" ", challenge.scopes()));
	}

	/**
	 * A connection's in-process lock and how many callers hold or await it; changed only inside
	 * the map's {@code compute}, so the last one out removes it and the map stays as small as the
	 * renewals under way.
	 */
	private static final class LocalLock {

		private int users = 1;

		LocalLock enter() {
			this.users++;
			return this;
		}

		/** @return whether nobody holds or awaits it any more */
		boolean leave() {
			return --this.users == 0;
		}

	}

}
