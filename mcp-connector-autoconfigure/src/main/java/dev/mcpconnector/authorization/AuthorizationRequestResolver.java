package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * Builds the authorization request for a connection: the scopes (the challenge's, then what
 * the connection asked for or was granted, then the resource's), {@code offline_access} where
 * the server lists it, OpenID Connect {@code openid} with a {@code nonce} where an ID token can
 * be checked, PKCE S256, a fresh {@code state} and the RFC 8707 {@code resource}. The pending
 * authorization it returns keeps only hashes of {@code state} and {@code nonce}.
 */
final class AuthorizationRequestResolver {

	static final String OFFLINE_ACCESS = "offline_access";

	/** Asked for next to {@code openid} when the server lists them: the account's name and e-mail. */
	private static final List<String> OIDC_PROFILE_SCOPES = List.of("profile", "email");

	private final EgressPolicy policy;

	private final Duration stateLifetime;

	private final boolean openIdConnect;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	/**
	 * @param policy checks the authorization URL before the browser is sent there
	 * @param stateLifetime how long the callback is accepted (at most 10 minutes)
	 * @param openIdConnect whether to ask OpenID providers for an ID token
	 * @param clock the clock
	 */
	AuthorizationRequestResolver(EgressPolicy policy, Duration stateLifetime, boolean openIdConnect, Clock clock) {
		Assert.notNull(policy, "policy cannot be null");
		Assert.isTrue(stateLifetime != null && !stateLifetime.isNegative()
				&& stateLifetime.compareTo(Duration.ofMinutes(10)) <= 0,
				"stateLifetime must be between 0 and 10 minutes");
		Assert.notNull(clock, "clock cannot be null");
		this.policy = policy;
		this.stateLifetime = stateLifetime;
		this.openIdConnect = openIdConnect;
		this.clock = clock;
	}

	/**
	 * The authorization request for a connection.
	 * @param connection the connection
	 * @param challenge the server's challenge that led here, or {@code null}
	 * @param target the resource, its authorization server and its scopes
	 * @param client the client at that server
	 * @param redirectUri the callback URL
	 * @param returnTo where the browser goes afterwards, or {@code null}
	 * @return the URL, the pending authorization to record and the scopes the connection asks for
	 */
	ResolvedRequest resolve(McpConnection connection, BearerChallenge challenge, AuthorizationServers.Target target,
			RegisteredClient client, URI redirectUri, String returnTo) {
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(client, "client cannot be null");
		Assert.notNull(redirectUri, "redirectUri cannot be null");
		AuthorizationServerMetadata server = target.server();
		checkMixUp(server, client);
		Set<String> scopes = chooseScopes(connection, challenge, target.resourceScopes());
		Set<String> requested = new LinkedHashSet<>(scopes);
		if (server.scopesSupported().contains(OFFLINE_ACCESS)) {
			requested.add(OFFLINE_ACCESS);
		}
		// OpenID Connect: who the user is at the authorization server, asked for only where an ID
		// token can be checked (a JWK set and an advertised algorithm we verify), bound to this request by a nonce kept only as its hash.
		String nonce = null;
		if (this.openIdConnect && server.isOpenIdProvider() && IdTokenVerifier.canVerify(server)) {
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
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		PendingAuthorization pending = new PendingAuthorization(sha256(state), connection.owner(), connection.id(),
				verifier.getValue(), server.issuer(), requested, redirectUri.toString(), returnTo, now,
				now.plus(this.stateLifetime), (nonce != null) ? sha256(nonce) : null);
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
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.EGRESS_DENIED) {
				throw ex;
			}
			throw new McpConnectorException(McpConnectorErrorCode.INSECURE_ENDPOINT,
					"The authorization endpoint of " + server.issuer() + " is not an allowed URL");
		}
		return new ResolvedRequest(url, pending, scopes);
	}

	/**
	 * Mix-up (RFC 9207 section 1, OAuth 2.1 section 7.14) against a client without a secret: the
	 * app's client ID metadata document is accepted by every server that supports them, so an
	 * attacker's metadata may send the browser to an honest server's authorization endpoint and
	 * keep the token endpoint for itself; the honest server's code and our verifier would then go
	 * to the attacker. A confidential client is unknown to the honest server, so nothing changes
	 * for it. A public client goes only where the callback can tell the servers apart: the server
	 * promises {@code iss} (checked exactly on the callback), or its authorization endpoint is on
	 * the issuer's own origin.
	 * @param server the authorization server
	 * @param client the client there
	 * @throws McpConnectorException {@code insecure-endpoint} when neither holds
	 */
	static void checkMixUp(AuthorizationServerMetadata server, RegisteredClient client) {
		if (client.authMethod() != ClientAuthenticationMethod.NONE || server.issParameterSupported()
				|| sameOrigin(server.authorizationEndpoint(), server.issuer())) {
			return;
		}
		throw new McpConnectorException(McpConnectorErrorCode.INSECURE_ENDPOINT, "Authorization server "
				+ server.issuer() + " sends the browser to another origin (" + EgressPolicy.origin(server.authorizationEndpoint())
				+ ") and does not promise the iss parameter (RFC 9207): with a client that has no secret, its"
				+ " callback could not be told from that other server's (mix-up), so it is not used");
	}

	private static boolean sameOrigin(URI endpoint, String issuer) {
		try {
			return EgressPolicy.origin(endpoint).equals(EgressPolicy.origin(new URI(issuer)));
		}
		catch (java.net.URISyntaxException ex) {
			return false;
		}
	}

	private static Set<String> chooseScopes(McpConnection connection, BearerChallenge challenge,
			Set<String> resourceScopes) {
		Set<String> scopes = new LinkedHashSet<>();
		Set<String> challenged = (challenge != null) ? challenge.scopes() : Set.of();
		if (!challenged.isEmpty()) {
			// The challenge is authoritative for this request; a step-up keeps what was asked before.
			scopes.addAll(challenged);
			scopes.addAll(connection.requestedScopes());
			if (challenge.isInsufficientScope()) {
				scopes.addAll(connection.grantedScopes());
			}
		}
		else if (connection.status() != ConnectionStatus.AUTHORIZATION_REQUIRED
				&& (!connection.requestedScopes().isEmpty() || !connection.grantedScopes().isEmpty())) {
			scopes.addAll(connection.requestedScopes());
			scopes.addAll(connection.grantedScopes());
		}
		else {
			scopes.addAll(resourceScopes);
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

	/** Hex SHA-256, how {@code state} and {@code nonce} are kept. */
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
	 * An authorization request ready to send the browser to. {@link #toString()} leaves out the
	 * URL, which carries the state and nonce.
	 *
	 * @param url the authorization URL
	 * @param pending what the callback checks, to record before redirecting
	 * @param scopes the scopes the connection asks for (without {@code offline_access} and
	 * {@code openid})
	 */
	record ResolvedRequest(URI url, PendingAuthorization pending, Set<String> scopes) {

		@Override
		public String toString() {
			return "ResolvedRequest[pending=" + this.pending + ", scopes=" + this.scopes + "]";
		}

	}

}
