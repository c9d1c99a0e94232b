package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.authorization.IdentityAssertionAuthorizedConnectionProvider.IdentityAssertion;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.registration.ClientRegistrationResolver;

import org.springframework.util.Assert;

/**
 * The MCP authorization client, for the web layer: connects a server by URL, starts and
 * completes authorizations, connects without a browser (client credentials, identity
 * assertion), revokes. Each step is its own part: an {@link AuthorizationRequestResolver}, an
 * {@link AuthorizationCallbackProcessor}, the {@link AuthorizedConnectionManager} (with its
 * providers and handlers) and a {@link TokenRevoker}. Build one with {@link #builder()}.
 */
public class McpAuthorizationService {

	private final McpConnectionService connections;

	private final AuthorizationServers servers;

	private final ServerConnector connector;

	private final AuthorizationStarter starter;

	private final AuthorizationCallbackProcessor callbacks;

	private final DefaultAuthorizedConnectionManager manager;

	private final BrowserlessConnector browserless;

	private final TokenRevoker revoker;

	private final AuthorizationAudit audit;

	McpAuthorizationService(Builder builder) {
		this.connections = builder.connections;
		this.servers = new AuthorizationServers(builder.discovery);
		this.audit = new AuthorizationAudit(builder.auditLog, builder.clock);
		IdTokenVerifier idTokens = (builder.idTokenClockSkew != null)
				? new IdTokenVerifier(builder.http, builder.idTokenClockSkew) : null;
		TokenEndpointClient tokens = new TokenEndpointClient(builder.http, builder.clock, builder.dpopDisabledIssuers);
		this.revoker = new TokenRevoker(this.servers, builder.registrations, tokens);
		this.starter = new AuthorizationStarter(builder.connections, builder.pending, this.servers,
				builder.registrations, new AuthorizationRequestResolver(builder.policy, builder.stateLifetime,
						idTokens != null, builder.clock), this.revoker, builder.clock);
		this.callbacks = new AuthorizationCallbackProcessor(builder.connections, builder.pending, this.servers,
				builder.registrations, tokens, idTokens, (idTokens != null) ? new UserInfoClient(builder.http) : null,
				builder.clock);
		this.manager = new DefaultAuthorizedConnectionManager(builder.connections, this.servers,
				builder.registrations, DelegatingAuthorizedConnectionProvider.defaults(tokens, builder.registrations,
						idTokens, builder.clock, builder.refreshSkew),
				new StoreCredentialsSuccessHandler(builder.connections, this.audit),
				new ReauthorizationRequiredFailureHandler(builder.connections, this.audit), builder.refreshLock,
				builder.clock, builder.refreshSkew);
		McpServerProbe probe = new McpServerProbe(builder.http, builder.clientName, builder.clientVersion);
		this.connector = new ServerConnector(builder.connections, probe, this.starter, this.audit);
		this.browserless = new BrowserlessConnector(builder.connections, probe, this.servers,
				builder.registrations, this.manager);
	}

	/**
	 * A builder; connections, pending store, discovery, registrations, HTTP client, client
	 * info and egress policy are required.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Where code outside a web request (the tool executor) gets a valid access token.
	 * @return the authorized-connection manager
	 */
	public AuthorizedConnectionManager authorizedConnections() {
		return this.manager;
	}

	/** Forget cached authorization server metadata, so the next use discovers it again. */
	public void forgetMetadata() {
		this.servers.forget();
	}

	/**
	 * Link a server: probe it; if it needs no authorization the connection is active at once,
	 * otherwise discover how it is protected and prepare the authorization request. Nothing is
	 * stored when the server cannot be reached or its metadata is refused.
	 * @param owner the owner
	 * @param request the server URL, name and extra scopes
	 * @param returnTo where the browser should return after consent, already validated
	 * @param redirectUri the callback URL registered with authorization servers
	 * @return the connection and, when it needs authorization, the URL to send the user to
	 */
	public AuthorizationStart connect(McpOwner owner, NewConnection request, String returnTo, URI redirectUri) {
		return this.connector.connect(owner, request, returnTo, redirectUri);
	}

	/**
	 * A fresh authorization URL for an existing connection (first consent, re-authorization or
	 * step-up), asking for the scopes the connection needs.
	 * @see #authorize(McpOwner, UUID, BearerChallenge, String, URI)
	 */
	public AuthorizationStart authorize(McpOwner owner, UUID connectionId, String returnTo, URI redirectUri) {
		return authorize(owner, connectionId, null, returnTo, redirectUri);
	}

	/**
	 * Start an authorization after a server's challenge (a 401 met by a session, or
	 * {@code null}); the browser returns to {@code returnTo} through {@code redirectUri}.
	 * @return the updated connection and the URL
	 */
	public AuthorizationStart authorize(McpOwner owner, UUID connectionId, BearerChallenge challenge, String returnTo,
			URI redirectUri) {
		McpConnection connection = this.connections.get(owner, connectionId);
		return this.starter.start(connection, challenge, returnTo, redirectUri);
	}

	/**
	 * Complete an authorization from its callback: check {@code state} (known, unused, not
	 * expired, this owner's) and {@code iss}, then redeem the code and store the tokens.
	 * @param owner the owner of the browser session the callback arrived in
	 * @param parameters the callback's query parameters
	 * @return the outcome
	 * @throws McpConnectorException {@code invalid-authorization-callback} when the callback is refused; no token request is
	 * made then
	 */
	public AuthorizationOutcome complete(McpOwner owner, CallbackParameters parameters) {
		try {
			AuthorizationOutcome outcome = this.callbacks.process(owner, parameters);
			this.audit.record(owner, AuditEvent.Type.AUTHORIZATION, outcome.connection().id(),
					outcome.isSuccess() ? "authorized" : "declined", outcome.error());
			return outcome;
		}
		catch (McpConnectorException ex) {
			this.audit.record(owner, AuditEvent.Type.AUTHORIZATION, null, "refused", ex.errorCode());
			throw ex;
		}
	}

	/**
	 * The credentials to send to a connection's server, refreshed first when they expire.
	 * @see AuthorizedConnectionManager#authorize(McpOwner, UUID)
	 */
	public Optional<ConnectionCredentials> credentials(McpOwner owner, UUID connectionId) {
		return this.manager.authorize(owner, connectionId);
	}

	/**
	 * Refresh a connection's access token, at most one refresh at a time per connection.
	 * @see AuthorizedConnectionManager#reauthorize(McpOwner, UUID, String)
	 */
	public ConnectionCredentials refresh(McpOwner owner, UUID connectionId, String staleAccessToken) {
		return this.manager.reauthorize(owner, connectionId, staleAccessToken);
	}

	/**
	 * A server refused a call for lack of scope: mark the connection for a step-up.
	 * @see AuthorizedConnectionManager#stepUpRequired(McpOwner, UUID, BearerChallenge)
	 */
	public AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId, BearerChallenge challenge) {
		return this.manager.stepUpRequired(owner, connectionId, challenge);
	}

	/**
	 * Revoke a connection's tokens at its authorization server (RFC 7009, when it has a
	 * revocation endpoint) and delete it. The local rows go even when the server is down.
	 */
	public void revokeAndDelete(McpOwner owner, UUID connectionId) {
		McpConnection connection = this.connections.get(owner, connectionId);
		this.connections.findCredentials(owner, connectionId)
			.ifPresent((credentials) -> this.revoker.revoke(connection, credentials));
		this.connections.delete(owner, connectionId);
		this.audit.record(owner, AuditEvent.Type.REVOKE, connectionId, "revoked", null);
	}

	/**
	 * Link a server with an application-level token from the client credentials grant (no
	 * browser), for an owner that is an application or tenant principal. The client must be
	 * pre-registered for the server's authorization server.
	 */
	public McpConnection connectWithClientCredentials(McpOwner owner, NewConnection request) {
		return this.browserless.connect(owner, request,
				Map.of(ClientCredentialsAuthorizedConnectionProvider.CLIENT_CREDENTIALS, Boolean.TRUE));
	}

	/**
	 * Link a server through Enterprise-Managed Authorization: exchange the user's ID token at
	 * their identity provider for an ID-JAG for the server's authorization server (RFC 8693),
	 * then redeem it there with the JWT bearer grant (RFC 7523).
	 * @param idpTokenEndpoint the identity provider's token endpoint
	 * @param idpClientId the application's client id at the identity provider, or {@code null}
	 * @param idToken the user's ID token from the identity provider
	 */
	public McpConnection connectWithIdentityAssertion(McpOwner owner, NewConnection request, URI idpTokenEndpoint,
			String idpClientId, String idToken) {
		IdentityAssertion assertion = new IdentityAssertion(idpTokenEndpoint, idpClientId, idToken);
		return this.browserless.connect(owner, request,
				Map.of(IdentityAssertionAuthorizedConnectionProvider.IDENTITY_ASSERTION, assertion));
	}

	/**
	 * Link a server through workload identity federation: the JWT the platform issued to this
	 * application (read from {@code workloadToken} now) is the JWT bearer grant (RFC 7523) at
	 * the server's authorization server, with the pre-registered client of that server; the
	 * owner is an application or tenant principal.
	 * @param workloadToken where the workload's JWT comes from (a file, a bean)
	 */
	public McpConnection connectWithWorkloadIdentity(McpOwner owner, NewConnection request,
			Supplier<String> workloadToken) {
		Assert.notNull(workloadToken, "workloadToken cannot be null");
		return this.browserless.connect(owner, request,
				Map.of(WorkloadIdentityAuthorizedConnectionProvider.WORKLOAD_ASSERTION, workloadToken));
	}

	/**
	 * A connection and where to send the user to authorize it.
	 *
	 * @param connection the connection, as stored
	 * @param authorizationUrl where to send the user, or {@code null} when a
	 * {@link #connect connected} server needs no authorization
	 */
	public record AuthorizationStart(McpConnection connection, URI authorizationUrl) {
	}

	/** Builds a {@link McpAuthorizationService}. */
	public static final class Builder {

		private McpConnectionService connections;

		private PendingAuthorizationStore pending;

		private MetadataDiscovery discovery;

		private ClientRegistrationResolver registrations;

		private EgressHttpClient http;

		private String clientName;

		private String clientVersion;

		private EgressPolicy policy;

		private Duration stateLifetime = Duration.ofMinutes(10);

		private Duration refreshSkew = Duration.ofSeconds(30);

		private Clock clock = Clock.systemUTC();

		private RefreshLock refreshLock = RefreshLock.local();

		private AuditLog auditLog = AuditLog.none();

		private Duration idTokenClockSkew;

		private Set<String> dpopDisabledIssuers = Set.of();

		private Builder() {
		}

		/** Issuers whose tokens are requested without DPoP even where they advertise it (default none). */
		public Builder dpopDisabledIssuers(Set<String> issuers) {
			this.dpopDisabledIssuers = issuers;
			return this;
		}

		/** The connection service every read and write goes through. */
		public Builder connections(McpConnectionService connections) {
			this.connections = connections;
			return this;
		}

		/** Where authorization requests wait for their callback. */
		public Builder pendingAuthorizations(PendingAuthorizationStore pending) {
			this.pending = pending;
			return this;
		}

		/** Finds how servers are protected and keeps authorization server metadata. */
		public Builder discovery(MetadataDiscovery discovery) {
			this.discovery = discovery;
			return this;
		}

		/** Finds or registers the client for each authorization server. */
		public Builder registrations(ClientRegistrationResolver registrations) {
			this.registrations = registrations;
			return this;
		}

		/** The guarded client token and revocation requests go through. */
		public Builder http(EgressHttpClient http) {
			this.http = http;
			return this;
		}

		/**
		 * How this client introduces itself in the MCP {@code initialize} request that asks a
		 * server, before anything else, whether it needs authorization at all.
		 * @param name the client name
		 * @param version the client version
		 * @return this builder
		 */
		public Builder clientInfo(String name, String version) {
			this.clientName = name;
			this.clientVersion = version;
			return this;
		}

		/** Checks authorization URLs before the browser is sent there. */
		public Builder egressPolicy(EgressPolicy policy) {
			this.policy = policy;
			return this;
		}

		/** How long a callback is accepted after the request (at most 10 minutes; default 10). */
		public Builder stateLifetime(Duration stateLifetime) {
			this.stateLifetime = stateLifetime;
			return this;
		}

		/** How long before its expiry an access token is refreshed (default 30 seconds). */
		public Builder refreshSkew(Duration refreshSkew) {
			this.refreshSkew = refreshSkew;
			return this;
		}

		/** The clock (default the system clock in UTC). */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/** Serializes refreshes across instances (default: within this instance only). */
		public Builder refreshLock(RefreshLock refreshLock) {
			this.refreshLock = refreshLock;
			return this;
		}

		/** Records connects, authorization outcomes, refreshes and revocations (default none). */
		public Builder auditLog(AuditLog auditLog) {
			this.auditLog = auditLog;
			return this;
		}

		/**
		 * Ask OpenID providers for an ID token (with a {@code nonce}), check it and keep the
		 * remote account it names; check the subject again on every refresh that returns one.
		 * The token's signature is verified against the provider's {@code jwks_uri} keys.
		 * @param idTokenClockSkew the clock skew allowed for the token's times, or {@code null}
		 * (the default) for no OpenID Connect
		 * @return this builder
		 */
		public Builder openIdConnect(Duration idTokenClockSkew) {
			this.idTokenClockSkew = idTokenClockSkew;
			return this;
		}

		/**
		 * The service, with its request resolver, callback processor, manager and revoker.
		 * @return the service
		 * @throws IllegalArgumentException when a required part is missing
		 */
		public McpAuthorizationService build() {
			Assert.notNull(this.connections, "connections cannot be null");
			Assert.notNull(this.pending, "pendingAuthorizations cannot be null");
			Assert.notNull(this.discovery, "discovery cannot be null");
			Assert.notNull(this.registrations, "registrations cannot be null");
			Assert.notNull(this.http, "http cannot be null");
			Assert.isTrue(this.clientName != null && this.clientVersion != null, "clientInfo cannot be null");
			Assert.notNull(this.policy, "egressPolicy cannot be null");
			Assert.notNull(this.clock, "clock cannot be null");
			Assert.notNull(this.refreshLock, "refreshLock cannot be null");
			Assert.notNull(this.auditLog, "auditLog cannot be null");
			return new McpAuthorizationService(this);
		}

	}

}
