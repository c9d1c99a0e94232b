package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Completes an authorization from its callback: the {@code state} must be known, unused,
 * unexpired and this owner's; the RFC 9207 {@code iss} must name the authorization server the
 * request went to (and be there when that server promises it); only then is the code redeemed
 * (with its PKCE verifier), the ID token checked against the request's nonce (the account
 * completed from userinfo when the token lacks a name or e-mail), and the tokens stored. A
 * refused callback makes no token request; a grant discarded because its ID token is refused is
 * revoked.
 */
final class AuthorizationCallbackProcessor {

	private static final Logger logger = LoggerFactory.getLogger(AuthorizationCallbackProcessor.class);

	private final McpConnectionService connections;

	private final PendingAuthorizationStore pending;

	private final AuthorizationServers servers;

	private final ClientRegistrationResolver registrations;

	private final TokenEndpointClient tokens;

	private final IdTokenVerifier idTokens;

	private final UserInfoClient userInfo;

	private final Clock clock;

	/**
	 * @param idTokens checks ID tokens, or {@code null} when OpenID Connect is off
	 */
	AuthorizationCallbackProcessor(McpConnectionService connections, PendingAuthorizationStore pending,
			AuthorizationServers servers, ClientRegistrationResolver registrations, TokenEndpointClient tokens,
			IdTokenVerifier idTokens, Clock clock) {
		this(connections, pending, servers, registrations, tokens, idTokens, null, clock);
	}

	/**
	 * @param idTokens checks ID tokens, or {@code null} when OpenID Connect is off
	 * @param userInfo completes the account from the userinfo endpoint, or {@code null} not to
	 */
	AuthorizationCallbackProcessor(McpConnectionService connections, PendingAuthorizationStore pending,
			AuthorizationServers servers, ClientRegistrationResolver registrations, TokenEndpointClient tokens,
			IdTokenVerifier idTokens, UserInfoClient userInfo, Clock clock) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(pending, "pending cannot be null");
		Assert.notNull(servers, "servers cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.connections = connections;
		this.pending = pending;
		this.servers = servers;
		this.registrations = registrations;
		this.tokens = tokens;
		this.idTokens = idTokens;
		this.userInfo = userInfo;
		this.clock = clock;
	}

	/**
	 * Check a callback and redeem its code.
	 * @param owner the owner of the browser session the callback arrived in
	 * @param parameters the callback's query parameters
	 * @return the outcome
	 * @throws McpConnectorException {@code invalid-authorization-callback} when the callback is refused
	 */
	AuthorizationOutcome process(McpOwner owner, CallbackParameters parameters) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(parameters, "parameters cannot be null");
		PendingAuthorization request = consume(owner, parameters.state());
		McpConnection connection;
		try {
			connection = this.connections.get(owner, request.connectionId());
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.CONNECTION_NOT_FOUND) {
				throw ex;
			}
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The connection of this authorization is gone");
		}
		AuthorizationServerMetadata server = this.servers.metadataFor(connection, request.issuer());
		checkIssuer(parameters.iss(), request, server);
		if (parameters.error() != null && !parameters.error().isEmpty()) {
			String error = parameters.error().matches("[A-Za-z0-9_.-]{1,64}") ? parameters.error() : "invalid_request";
			logger.info("Authorization of connection {} ended with {}", connection.id(), error);
			return new AuthorizationOutcome(connection, request.returnTo(), error);
		}
		if (parameters.code() == null || parameters.code().isEmpty()) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The authorization response carries no code");
		}
		URI redirectUri = URI.create(request.redirectUri());
		RegisteredClient client = this.registrations.resolve(server, redirectUri, connection.resourceUri());
		// Again here: the metadata may have been discovered anew since the request was made.
		AuthorizationRequestResolver.checkMixUp(server, client);
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
		RemoteAccount account;
		try {
			account = remoteAccount(request, result, server, client);
		}
		catch (InvalidIdTokenException ex) {
			// The grant is discarded: nothing of it is stored, so nothing could revoke it later.
			int revoked = TokenRevoker.revoke(this.tokens, client, server, result.accessToken(), result.refreshToken());
			logger.info("Discarded the grant for connection {} ({} token(s) revoked)", connection.id(), revoked);
			throw ex;
		}
		ConnectionCredentials credentials = result.toCredentials(null, request.requestedScopes(), client.clientId());
		this.connections.saveCredentials(owner, connection.id(), credentials);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		McpConnection updated = this.connections
			.update(connection.withAuthorization(server.issuer(), credentials.scopes(), now)
				.withRemoteAccount(account, now)
				.withStatus(ConnectionStatus.ACTIVE, now));
		logger.info("Connection {} authorized by {}", connection.id(), server.issuer());
		return new AuthorizationOutcome(updated, request.returnTo(), null);
	}

	/** The pending authorization of a {@code state}, consumed: known, unused, this owner's, unexpired. */
	private PendingAuthorization consume(McpOwner owner, String state) {
		if (state == null || state.isEmpty() || state.length() > 512) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The authorization response has no valid state");
		}
		PendingAuthorization request = this.pending.consume(AuthorizationRequestResolver.sha256(state))
			.orElseThrow(() -> new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"Unknown or already used authorization state"));
		if (!request.owner().equals(owner)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"Unknown or already used authorization state");
		}
		if (request.isExpired(this.clock.instant())) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The authorization request expired; start it again");
		}
		return request;
	}

	/** RFC 9207: the {@code iss} names the server the request went to, and is there when promised. */
	private static void checkIssuer(String iss, PendingAuthorization request, AuthorizationServerMetadata server) {
		if (iss != null) {
			if (!iss.equals(request.issuer())) {
				throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
						"The authorization response names another issuer than the one the request went to");
			}
		}
		else if (server.issParameterSupported()) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The authorization response lacks the iss parameter its authorization server promises");
		}
	}

	/**
	 * The remote account of an authorization that asked for an ID token: the token is checked
	 * (signature, issuer, audience, expiry, nonce) before anything of the response is stored.
	 * An ID token nobody asked for is ignored: without a nonce it cannot be tied to this request.
	 */
	private RemoteAccount remoteAccount(PendingAuthorization request, TokenResult result,
			AuthorizationServerMetadata server, RegisteredClient client) {
		if (request.nonceHash() == null || this.idTokens == null) {
			return null;
		}
		if (result.idToken() == null) {
			logger.info("Authorization server {} issued no ID token although one was asked for", server.issuer());
			return null;
		}
		RemoteAccount account = this.idTokens.verify(result.idToken(), server, client.clientId(), request.nonceHash());
		return (this.userInfo != null) ? this.userInfo.complete(account, server, result.accessToken()) : account;
	}

}
