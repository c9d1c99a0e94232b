package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.CanonicalResourceUri;
import dev.mcpconnector.connection.ConcurrentConnectionUpdateException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionNotFoundException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.discovery.DiscoveryException;
import dev.mcpconnector.discovery.McpServerProbe;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.discovery.ProtectedResourceMetadata;
import dev.mcpconnector.egress.EgressDeniedException;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.registration.ClientRegistrationException;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The MCP authorization client: connects a server by URL through discovery, client identity
 * and an authorization request; redeems the callback after checking {@code state} and RFC 9207
 * {@code iss}; refreshes with rotation, one refresh at a time per connection; handles step-up;
 * revokes. Every secret it handles is stored encrypted and never logged.
 */
public class McpAuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(McpAuthorizationService.class);

	private static final String OFFLINE_ACCESS = "offline_access";

	/** Asked for next to {@code openid} when the server lists them: the account's name and e-mail. */
	private static final List<String> OIDC_PROFILE_SCOPES = List.of("profile", "email");

	private final McpConnectionService connections;

	private final McpConnectionRepository repository;

	private final PendingAuthorizationStore pending;

	private final MetadataDiscovery discovery;

	private final ClientRegistrationResolver registrations;

	private final TokenEndpointClient tokens;

	private final McpServerProbe probe;

	private final EgressPolicy policy;

	private final Duration stateLifetime;

	private final Duration refreshSkew;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final ConcurrentMap<String, AuthorizationServerMetadata> metadataByIssuer = new ConcurrentHashMap<>();

	private final ConcurrentMap<UUID, Object> refreshLocks = new ConcurrentHashMap<>();

	private volatile RefreshLock refreshLock = RefreshLock.local();

	private volatile AuditLog audit = AuditLog.none();

	private volatile IdTokenVerifier idTokens;

	public McpAuthorizationService(McpConnectionService connections, McpConnectionRepository repository,
			PendingAuthorizationStore pending, MetadataDiscovery discovery, ClientRegistrationResolver registrations,
			TokenEndpointClient tokens, McpServerProbe probe, EgressPolicy policy, Duration stateLifetime,
			Duration refreshSkew, Clock clock) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(repository, "repository cannot be null");
		Assert.notNull(pending, "pending cannot be null");
		Assert.notNull(discovery, "discovery cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(probe, "probe cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.isTrue(stateLifetime != null && !stateLifetime.isNegative() && stateLifetime.compareTo(Duration.ofMinutes(10)) <= 0,
				"stateLifetime must be between 0 and 10 minutes");
		Assert.notNull(refreshSkew, "refreshSkew cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.connections = connections;
		this.repository = repository;
		this.pending = pending;
		this.discovery = discovery;
		this.registrations = registrations;
		this.tokens = tokens;
		this.probe = probe;
		this.policy = policy;
		this.stateLifetime = stateLifetime;
		this.refreshSkew = refreshSkew;
		this.clock = clock;
	}

	/**
	 * Record connects, authorization outcomes, refresh failures and revocations here.
	 * @param audit the audit log
	 */
	public void setAuditLog(AuditLog audit) {
		Assert.notNull(audit, "audit cannot be null");
		this.audit = audit;
	}

	private void audit(McpOwner owner, AuditEvent.Type type, UUID connectionId, String outcome, String detail) {
		try {
			this.audit.record(new AuditEvent(this.clock.instant(), owner, type, connectionId, null, outcome, null, null,
					detail, null));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record an audit event: {}", ex.getClass().getSimpleName());
		}
	}

	/**
	 * Ask OpenID providers for an ID token (with a {@code nonce}), check it and keep the remote
	 * account it names with the connection; check the subject again on every refresh that
	 * returns an ID token. Without a verifier no ID token is asked for.
	 * @param idTokens the verifier, or {@code null} to turn OpenID Connect off
	 */
	public void setIdTokenVerifier(IdTokenVerifier idTokens) {
		this.idTokens = idTokens;
	}

	/**
	 * Forget cached authorization server metadata, so the next use discovers it again (for
	 * example after a server changed its endpoints).
	 */
	public void forgetMetadata() {
		this.metadataByIssuer.clear();
	}

	/**
	 * Use a lock that serializes refreshes across application instances.
	 * @param refreshLock the lock
	 */
	public void setRefreshLock(RefreshLock refreshLock) {
		Assert.notNull(refreshLock, "refreshLock cannot be null");
		this.refreshLock = refreshLock;
	}

	/**
	 * Link a server: probe it; if it needs no authorization the connection is active at once,
	 * otherwise discover how it is protected and prepare the authorization request. Nothing is
	 * stored when the server cannot be reached or its metadata is refused.
	 * @param owner the owner
	 * @param request the server URL, name and extra scopes
	 * @param returnTo where the browser should return after consent, already validated
	 * @param redirectUri the callback URL registered with authorization servers
	 * @return the connection and, when needed, the authorization URL
	 */
	public ConnectResult connect(McpOwner owner, NewConnection request, String returnTo, URI redirectUri) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(request, "request cannot be null");
		URI serverUrl = CanonicalResourceUri.parseServerUrl(request.serverUrl());
		McpServerProbe.Result result = this.probe.probe(serverUrl);
		if (result.open()) {
			McpConnection connection = this.connections.create(owner, request, ConnectionStatus.ACTIVE,
					result.transport());
			audit(owner, AuditEvent.Type.CONNECT, connection.id(), "active", null);
			return new ConnectResult(connection, null);
		}
		McpConnection connection = this.connections.create(owner, request, ConnectionStatus.AUTHORIZATION_REQUIRED,
				result.transport());
		try {
			AuthorizationStart start = startAuthorization(connection, result.challenge(), returnTo, redirectUri);
			audit(owner, AuditEvent.Type.CONNECT, connection.id(), "authorization-required", start.connection().issuer());
			return new ConnectResult(start.connection(), start.authorizationUrl());
		}
		catch (RuntimeException ex) {
			this.repository.delete(owner, connection.id());
			audit(owner, AuditEvent.Type.CONNECT, null, "refused",
					(ex instanceof McpConnectorException typed) ? typed.errorCode() : "error");
			throw ex;
		}
	}

	/**
	 * A fresh authorization URL for an existing connection (first consent, re-authorization or
	 * step-up), asking for the scopes the connection needs.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param returnTo where to return afterwards
	 * @param redirectUri the callback URL
	 * @return the updated connection and the URL
	 */
	public AuthorizationStart authorize(McpOwner owner, UUID connectionId, String returnTo, URI redirectUri) {
		McpConnection connection = this.connections.get(owner, connectionId);
		return startAuthorization(connection, Optional.empty(), returnTo, redirectUri);
	}

	/**
	 * Start an authorization after a server's challenge (a 401 met by a session).
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param challenge the challenge
	 * @param returnTo where to return afterwards
	 * @param redirectUri the callback URL
	 * @return the updated connection and the URL
	 */
	public AuthorizationStart authorize(McpOwner owner, UUID connectionId, BearerChallenge challenge, String returnTo,
			URI redirectUri) {
		McpConnection connection = this.connections.get(owner, connectionId);
		return startAuthorization(connection, Optional.ofNullable(challenge), returnTo, redirectUri);
	}

	private AuthorizationStart startAuthorization(McpConnection connection, Optional<BearerChallenge> challenge,
			String returnTo, URI redirectUri) {
		Assert.notNull(redirectUri, "redirectUri cannot be null");
		Target target = discover(connection.serverUrl(), challenge.orElse(null));
		AuthorizationServerMetadata server = target.server();
		RegisteredClient client = this.registrations.resolve(server, redirectUri);
		Set<String> scopes = chooseScopes(connection, challenge, target);
		Set<String> requested = new LinkedHashSet<>(scopes);
		if (server.scopesSupported().contains(OFFLINE_ACCESS)) {
			requested.add(OFFLINE_ACCESS);
		}
		// OpenID Connect: who the user is at the authorization server, asked for only where an ID
		// token can be checked, bound to this request by a nonce kept only as its hash.
		String nonce = null;
		if (this.idTokens != null && server.isOpenIdProvider()) {
			requested.add(AuthorizationServerMetadata.OPENID);
			for (String scope : OIDC_PROFILE_SCOPES) {
				if (server.scopesSupported().contains(scope)) {
					requested.add(scope);
				}
			}
			nonce = randomToken();
		}
		CodeVerifier verifier = new CodeVerifier();
		String state = randomToken();
		Instant now = now();
		this.pending.save(new PendingAuthorization(sha256(state), connection.owner(), connection.id(), verifier.getValue(),
				server.issuer(), requested, redirectUri.toString(), returnTo, now, now.plus(this.stateLifetime),
				(nonce != null) ? sha256(nonce) : null));
		AuthorizationRequest.Builder builder = new AuthorizationRequest.Builder(ResponseType.CODE,
				new ClientID(client.clientId()))
			.endpointURI(server.authorizationEndpoint())
			.redirectionURI(redirectUri)
			.state(new State(state))
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.resources(target.resource());
		if (nonce != null) {
			builder.customParameter("nonce", nonce);
		}
		if (!requested.isEmpty()) {
			builder.scope(new Scope(requested.toArray(String[]::new)));
		}
		URI url = builder.build().toURI();
		try {
			this.policy.checkSyntax(url);
		}
		catch (EgressDeniedException ex) {
			throw new DiscoveryException(McpConnectorErrorCode.INSECURE_ENDPOINT, "The authorization endpoint of " + server.issuer()
					+ " is not an allowed URL");
		}
		this.metadataByIssuer.put(server.issuer(), server);
		McpConnection next = connection.withAuthorizationTarget(target.resource(), server.issuer(), scopes, now);
		if (connection.issuer() != null && !connection.issuer().equals(server.issuer())) {
			// The server now names another authorization server. The stored grant belongs to the
			// previous one: never let a refresh or a revocation send it to the new one, even if this
			// authorization is abandoned; and the previous remote account no longer applies.
			this.repository.deleteCredentials(connection.owner(), connection.id());
			next = next.withRemoteAccount(null, now)
				.withStatus((connection.status() == ConnectionStatus.AUTHORIZATION_REQUIRED)
						? ConnectionStatus.AUTHORIZATION_REQUIRED : ConnectionStatus.REAUTHORIZATION_REQUIRED, now);
			logger.info("Connection {} moves from authorization server {} to {}; its previous grant was dropped",
					connection.id(), connection.issuer(), server.issuer());
		}
		McpConnection updated = this.repository.update(next);
		logger.debug("Authorization of connection {} started at {}", connection.id(), server.issuer());
		return new AuthorizationStart(updated, url);
	}

	private Set<String> chooseScopes(McpConnection connection, Optional<BearerChallenge> challenge, Target target) {
		Set<String> scopes = new LinkedHashSet<>();
		Set<String> challenged = challenge.map(BearerChallenge::scopes).orElse(Set.of());
		if (!challenged.isEmpty()) {
			// The challenge is authoritative for this request; a step-up keeps what was asked before.
			scopes.addAll(challenged);
			scopes.addAll(connection.requestedScopes());
			if (challenge.get().isInsufficientScope()) {
				scopes.addAll(connection.grantedScopes());
			}
		}
		else if (connection.status() != ConnectionStatus.AUTHORIZATION_REQUIRED
				&& (!connection.requestedScopes().isEmpty() || !connection.grantedScopes().isEmpty())) {
			scopes.addAll(connection.requestedScopes());
			scopes.addAll(connection.grantedScopes());
		}
		else {
			scopes.addAll(target.resourceScopes());
			scopes.addAll(connection.requestedScopes());
		}
		// Added per request from the authorization server's metadata, not carried over.
		scopes.remove(OFFLINE_ACCESS);
		scopes.remove(AuthorizationServerMetadata.OPENID);
		return scopes;
	}

	private String randomToken() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Complete an authorization from its callback: check {@code state} (known, unused, not
	 * expired, this owner's) and {@code iss}, then redeem the code and store the tokens.
	 * @param owner the owner of the browser session the callback arrived in
	 * @param parameters the callback's query parameters
	 * @return the outcome
	 * @throws AuthorizationCallbackException when the callback is refused; no token request is
	 * made then
	 */
	public AuthorizationOutcome complete(McpOwner owner, CallbackParameters parameters) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(parameters, "parameters cannot be null");
		try {
			AuthorizationOutcome outcome = completeChecked(owner, parameters);
			audit(owner, AuditEvent.Type.AUTHORIZATION, outcome.connection().id(),
					outcome.isSuccess() ? "authorized" : "declined", outcome.error());
			return outcome;
		}
		catch (McpConnectorException ex) {
			audit(owner, AuditEvent.Type.AUTHORIZATION, null, "refused", ex.errorCode());
			throw ex;
		}
	}

	private AuthorizationOutcome completeChecked(McpOwner owner, CallbackParameters parameters) {
		{
		if (parameters.state() == null || parameters.state().isEmpty() || parameters.state().length() > 512) {
			throw new AuthorizationCallbackException("The authorization response has no valid state");
		}
		PendingAuthorization request = this.pending.consume(sha256(parameters.state()))
			.orElseThrow(() -> new AuthorizationCallbackException("Unknown or already used authorization state"));
		if (!request.owner().equals(owner)) {
			throw new AuthorizationCallbackException("Unknown or already used authorization state");
		}
		if (request.isExpired(this.clock.instant())) {
			throw new AuthorizationCallbackException("The authorization request expired; start it again");
		}
		McpConnection connection = this.repository.find(owner, request.connectionId())
			.orElseThrow(() -> new AuthorizationCallbackException("The connection of this authorization is gone"));
		AuthorizationServerMetadata server = metadataFor(connection, request.issuer());
		if (parameters.iss() != null) {
			if (!parameters.iss().equals(request.issuer())) {
				throw new AuthorizationCallbackException(
						"The authorization response names another issuer than the one the request went to");
			}
		}
		else if (server.issParameterSupported()) {
			throw new AuthorizationCallbackException(
					"The authorization response lacks the iss parameter its authorization server promises");
		}
		if (parameters.error() != null && !parameters.error().isEmpty()) {
			String error = parameters.error().matches("[A-Za-z0-9_.-]{1,64}") ? parameters.error() : "invalid_request";
			logger.info("Authorization of connection {} ended with {}", connection.id(), error);
			return new AuthorizationOutcome(connection, request.returnTo(), error);
		}
		if (parameters.code() == null || parameters.code().isEmpty()) {
			throw new AuthorizationCallbackException("The authorization response carries no code");
		}
		URI redirectUri = URI.create(request.redirectUri());
		RegisteredClient client = this.registrations.resolve(server, redirectUri);
		TokenResult result;
		try {
			result = this.tokens.exchangeCode(client, server, parameters.code(), request.codeVerifier(), redirectUri,
					connection.resourceUri());
		}
		catch (TokenRequestException ex) {
			if (ex.isInvalidClient()) {
				this.registrations.forget(client);
			}
			throw ex;
		}
		RemoteAccount account = remoteAccount(request, result, server, client);
		ConnectionCredentials credentials = result.toCredentials(null, request.requestedScopes());
		this.repository.saveCredentials(owner, connection.id(), credentials);
		Instant now = now();
		McpConnection updated = this.repository
			.update(connection.withAuthorization(server.issuer(), credentials.scopes(), now)
				.withRemoteAccount(account, now)
				.withStatus(ConnectionStatus.ACTIVE, now));
		logger.info("Connection {} authorized by {}", connection.id(), server.issuer());
		return new AuthorizationOutcome(updated, request.returnTo(), null);
		}
	}

	/**
	 * The remote account of an authorization that asked for an ID token: the token is checked
	 * (signature, issuer, audience, expiry, nonce) before anything of the response is stored.
	 * An ID token nobody asked for is ignored: without a nonce it cannot be tied to this request.
	 */
	private RemoteAccount remoteAccount(PendingAuthorization request, TokenResult result,
			AuthorizationServerMetadata server, RegisteredClient client) {
		IdTokenVerifier verifier = this.idTokens;
		if (request.nonceHash() == null || verifier == null) {
			return null;
		}
		if (result.idToken() == null) {
			logger.info("Authorization server {} issued no ID token although one was asked for", server.issuer());
			return null;
		}
		return verifier.verify(result.idToken(), server, client.clientId(), request.nonceHash());
	}

	/**
	 * The credentials to send to a connection's server, refreshed first when they expire within
	 * the configured skew.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the credentials, or empty when the server needs none
	 * @throws AuthorizationRequiredException when the grant no longer works
	 */
	public Optional<ConnectionCredentials> credentials(McpOwner owner, UUID connectionId) {
		Optional<ConnectionCredentials> stored = this.repository.findCredentials(owner, connectionId);
		if (stored.isPresent() && stored.get().isExpired(this.clock.instant(), this.refreshSkew)) {
			return Optional.of(refresh(owner, connectionId, stored.get().accessToken()));
		}
		return stored;
	}

	/**
	 * Refresh a connection's access token, at most one refresh at a time per connection: a
	 * caller that waited while another refreshed gets the new token without a second request.
	 * A new refresh token replaces the old; a response without one keeps the old.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param staleAccessToken the access token the caller found expired or refused, or
	 * {@code null} to refresh unconditionally
	 * @return the fresh credentials
	 * @throws AuthorizationRequiredException when there is no refresh token or it was refused
	 */
	public ConnectionCredentials refresh(McpOwner owner, UUID connectionId, String staleAccessToken) {
		Object lock = this.refreshLocks.computeIfAbsent(connectionId, (id) -> new Object());
		synchronized (lock) {
			return this.refreshLock.withLock(connectionId, () -> refreshLocked(owner, connectionId, staleAccessToken));
		}
	}

	private ConnectionCredentials refreshLocked(McpOwner owner, UUID connectionId, String staleAccessToken) {
		{
			ConnectionCredentials current = this.repository.findCredentials(owner, connectionId)
				.orElseThrow(() -> reauthorizationRequired(owner, connectionId, "The connection has no stored grant"));
			if (staleAccessToken != null && !current.accessToken().equals(staleAccessToken)
					&& !current.isExpired(this.clock.instant(), this.refreshSkew)) {
				return current;
			}
			if (!current.hasRefreshToken()) {
				throw reauthorizationRequired(owner, connectionId, "The access token expired and no refresh token was issued");
			}
			McpConnection connection = this.connections.get(owner, connectionId);
			AuthorizationServerMetadata server = metadataFor(connection, connection.issuer());
			RegisteredClient client = this.registrations.current(server)
				.orElseThrow(() -> reauthorizationRequired(owner, connectionId, "The client registration is gone"));
			TokenResult result;
			try {
				result = this.tokens.refresh(client, server, current.refreshToken(), connection.resourceUri());
			}
			catch (TokenRequestException ex) {
				if (ex.isInvalidGrant()) {
					throw reauthorizationRequired(owner, connectionId, "The authorization server no longer accepts the grant");
				}
				if (ex.isInvalidClient()) {
					this.registrations.forget(client);
					throw reauthorizationRequired(owner, connectionId, "The authorization server rejected the client");
				}
				throw ex;
			}
			McpConnection reidentified = checkRefreshedIdentity(owner, connection, server, client, result);
			ConnectionCredentials fresh = result.toCredentials(current.refreshToken(), current.scopes());
			this.repository.saveCredentials(owner, connectionId, fresh);
			if (reidentified != null) {
				try {
					this.repository.update(reidentified);
				}
				catch (ConcurrentConnectionUpdateException ex) {
					logger.debug("The display claims of connection {} change with its next refresh", connectionId);
				}
			}
			audit(owner, AuditEvent.Type.REFRESH, connectionId, "refreshed", null);
			logger.debug("Refreshed the token of connection {}", connectionId);
			return fresh;
		}
	}

	/**
	 * A refresh that returned an ID token for a connection signed in as a remote account: the
	 * token is checked like the first one (but for the nonce, which a refreshed ID token need not
	 * carry) and must name the same subject. A refused token or another subject stores nothing
	 * and the connection needs authorizing again.
	 * @return the connection with its updated display claims, or {@code null} when unchanged
	 */
	private McpConnection checkRefreshedIdentity(McpOwner owner, McpConnection connection,
			AuthorizationServerMetadata server, RegisteredClient client, TokenResult result) {
		IdTokenVerifier verifier = this.idTokens;
		RemoteAccount known = connection.remoteAccount();
		if (verifier == null || known == null || result.idToken() == null) {
			return null;
		}
		RemoteAccount refreshed;
		try {
			refreshed = verifier.verify(result.idToken(), server, client.clientId(), null);
		}
		catch (InvalidIdTokenException ex) {
			reauthorizationRequired(owner, connection.id(), "The refreshed ID token was refused");
			throw ex;
		}
		if (!refreshed.isSameAccountAs(known)) {
			reauthorizationRequired(owner, connection.id(), "The refreshed ID token names another account");
			throw new RemoteAccountMismatchException(connection.id(), server.issuer());
		}
		return refreshed.equals(known) ? null : connection.withRemoteAccount(refreshed, now());
	}

	/**
	 * A server refused a call for lack of scope: remember the union of granted, requested and
	 * challenged scopes and mark the connection for re-authorization.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param challenge the {@code insufficient_scope} challenge
	 * @return the exception to throw, carrying no URL (the frontend asks for one)
	 */
	public AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId, BearerChallenge challenge) {
		McpConnection connection = this.connections.get(owner, connectionId);
		Set<String> scopes = new LinkedHashSet<>(connection.requestedScopes());
		scopes.addAll(connection.grantedScopes());
		scopes.addAll(challenge.scopes());
		Instant now = now();
		this.repository.update(connection
			.withAuthorizationTarget(connection.resourceUri(), connection.issuer(), scopes, now)
			.withStatus(ConnectionStatus.REAUTHORIZATION_REQUIRED, now));
		return new AuthorizationRequiredException(connectionId, null, true,
				"The server needs more permissions: " + String.join(" ", challenge.scopes()));
	}

	/**
	 * Revoke a connection's tokens at its authorization server (RFC 7009, when it has a
	 * revocation endpoint) and delete it. The local rows go even when the server is down.
	 * @param owner the owner
	 * @param connectionId the connection
	 */
	public void revokeAndDelete(McpOwner owner, UUID connectionId) {
		McpConnection connection = this.connections.get(owner, connectionId);
		try {
			Optional<ConnectionCredentials> credentials = this.repository.findCredentials(owner, connectionId);
			if (credentials.isPresent() && connection.issuer() != null) {
				AuthorizationServerMetadata server = metadataFor(connection, connection.issuer());
				Optional<RegisteredClient> client = this.registrations.current(server);
				if (client.isPresent() && server.revocationEndpoint() != null) {
					if (credentials.get().hasRefreshToken()) {
						this.tokens.revoke(client.get(), server, new RefreshToken(credentials.get().refreshToken()));
					}
					AccessToken access = new TypelessAccessToken(credentials.get().accessToken());
					this.tokens.revoke(client.get(), server, access);
				}
			}
		}
		catch (McpConnectorException ex) {
			logger.info("Could not revoke the tokens of connection {}: {}", connectionId, ex.getMessage());
		}
		this.connections.delete(owner, connectionId);
		audit(owner, AuditEvent.Type.REVOKE, connectionId, "revoked", null);
	}

	/**
	 * Link a server with an application-level token from the client credentials grant (no
	 * browser). The client must be pre-registered for the server's authorization server.
	 * @param owner the owner (an application or tenant principal)
	 * @param request the server
	 * @return the active connection
	 */
	public McpConnection connectWithClientCredentials(McpOwner owner, NewConnection request) {
		return connectWithoutBrowser(owner, request, (server, client, target, scopes) -> this.tokens
			.clientCredentials(client, server, scopes, target.resource()));
	}

	/**
	 * Link a server through Enterprise-Managed Authorization (cross-app access): exchange the
	 * user's ID token at their identity provider for an ID-JAG addressed to the server's
	 * authorization server (RFC 8693), then redeem it there with the JWT bearer grant (RFC
	 * 7523).
	 * @param owner the owner
	 * @param request the server
	 * @param idpTokenEndpoint the identity provider's token endpoint
	 * @param idpClientId the application's client id at the identity provider, or {@code null}
	 * @param idToken the user's ID token from the identity provider
	 * @return the active connection
	 */
	public McpConnection connectWithIdentityAssertion(McpOwner owner, NewConnection request, URI idpTokenEndpoint,
			String idpClientId, String idToken) {
		return connectWithoutBrowser(owner, request, (server, client, target, scopes) -> {
			String idJag = this.tokens.exchangeForIdJag(idpTokenEndpoint, idpClientId, idToken, server.issuer(),
					target.resource());
			return this.tokens.jwtBearer(client, server, idJag, scopes, target.resource());
		});
	}

	private McpConnection connectWithoutBrowser(McpOwner owner, NewConnection request, Grant grant) {
		URI serverUrl = CanonicalResourceUri.parseServerUrl(request.serverUrl());
		McpServerProbe.Result result = this.probe.probe(serverUrl);
		if (result.open()) {
			return this.connections.create(owner, request, ConnectionStatus.ACTIVE, result.transport());
		}
		Target target = discover(serverUrl, result.challenge().orElse(null));
		AuthorizationServerMetadata server = target.server();
		RegisteredClient client = this.registrations.current(server)
			.filter((c) -> c.source() == dev.mcpconnector.registration.ClientRegistrationSource.PRE_REGISTERED)
			.orElseThrow(() -> new ClientRegistrationException("No pre-registered client for " + server.issuer()));
		Set<String> scopes = new LinkedHashSet<>(result.challenge().map(BearerChallenge::scopes).orElse(Set.of()));
		if (scopes.isEmpty()) {
			scopes.addAll(target.resourceScopes());
		}
		scopes.addAll(request.scopes());
		TokenResult tokenResult = grant.obtain(server, client, target, scopes);
		McpConnection connection = this.connections.create(owner, request, ConnectionStatus.ACTIVE,
				result.transport());
		ConnectionCredentials credentials = tokenResult.toCredentials(null, scopes);
		this.repository.saveCredentials(owner, connection.id(), credentials);
		this.metadataByIssuer.put(server.issuer(), server);
		Instant now = now();
		return this.repository.update(connection.withAuthorizationTarget(target.resource(), server.issuer(), scopes, now)
			.withAuthorization(server.issuer(), credentials.scopes(), now));
	}

	private Target discover(URI serverUrl, BearerChallenge challenge) {
		Optional<ProtectedResourceMetadata> resource = this.discovery.discoverResource(serverUrl, challenge);
		if (resource.isEmpty()) {
			AuthorizationServerMetadata legacy = this.discovery.discoverLegacy(serverUrl);
			return new Target(CanonicalResourceUri.of(serverUrl), legacy, Set.of());
		}
		List<RuntimeException> failures = new ArrayList<>();
		for (String issuer : resource.get().authorizationServers()) {
			try {
				AuthorizationServerMetadata server = this.discovery.discoverAuthorizationServer(issuer);
				return new Target(resource.get().resource(), server, resource.get().scopesSupported());
			}
			catch (McpConnectorException ex) {
				failures.add(ex);
			}
		}
		throw failures.get(0);
	}

	private AuthorizationServerMetadata metadataFor(McpConnection connection, String issuer) {
		if (issuer == null) {
			throw new AuthorizationCallbackException("The connection has no authorization server");
		}
		AuthorizationServerMetadata cached = this.metadataByIssuer.get(issuer);
		if (cached != null) {
			return cached;
		}
		Target target = discover(connection.serverUrl(), null);
		if (!target.server().issuer().equals(issuer)) {
			throw new DiscoveryException(McpConnectorErrorCode.ISSUER_MISMATCH,
					"The server's authorization server changed; authorize the connection again");
		}
		this.metadataByIssuer.put(issuer, target.server());
		return target.server();
	}

	private AuthorizationRequiredException reauthorizationRequired(McpOwner owner, UUID connectionId, String why) {
		audit(owner, AuditEvent.Type.REFRESH_FAILURE, connectionId, "reauthorization-required", why);
		try {
			this.connections.updateStatus(owner, connectionId, ConnectionStatus.REAUTHORIZATION_REQUIRED);
		}
		catch (ConnectionNotFoundException ex) {
			throw ex;
		}
		return new AuthorizationRequiredException(connectionId, null, false, why);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An authorization that is ready to send the user to.
	 *
	 * @param connection the connection, as stored
	 * @param authorizationUrl where to send the user
	 */
	public record AuthorizationStart(McpConnection connection, URI authorizationUrl) {
	}

	private record Target(URI resource, AuthorizationServerMetadata server, Set<String> resourceScopes) {
	}

	@FunctionalInterface
	private interface Grant {

		TokenResult obtain(AuthorizationServerMetadata server, RegisteredClient client, Target target,
				Set<String> scopes);

	}

}
