package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.DpopKey;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Token endpoint and revocation requests, built and parsed by the Nimbus OAuth SDK and sent
 * through the egress-guarded client. Every grant carries RFC 8707 {@code resource}. Client
 * authentication follows the registered client's
 * {@link dev.mcpconnector.registration.ClientAuthenticationMethod}. Where the server advertises
 * DPoP, each grant carries a proof and the token it issues is bound to the key (RFC 9449).
 */
final class TokenEndpointClient {

	private static final Logger logger = LoggerFactory.getLogger(TokenEndpointClient.class);

	/** RFC 8693 token type of an Identity Assertion JWT Authorization Grant. */
	static final String ID_JAG_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id-jag";

	private final EgressHttpClient http;

	private final Clock clock;

	private final Set<String> dpopDisabledIssuers;

	private final Predicate<URI> resourceTakesDpop;

	/** The last {@code DPoP-Nonce} of each token endpoint origin (RFC 9449 §8). */
	private final Map<String, String> dpopNonces = new ConcurrentHashMap<>();

	TokenEndpointClient(EgressHttpClient http, Clock clock) {
		this(http, clock, Set.of());
	}

	TokenEndpointClient(EgressHttpClient http, Clock clock, Set<String> dpopDisabledIssuers) {
		this(http, clock, dpopDisabledIssuers, new ResourceDpopSupport(http, clock)::takesDpop);
	}

	/**
	 * @param http the egress-guarded client
	 * @param clock the clock
	 * @param dpopDisabledIssuers issuers whose tokens are requested without DPoP even when they
	 * advertise {@code dpop_signing_alg_values_supported}
	 * @param resourceTakesDpop whether a protected resource takes DPoP tokens
	 */
	TokenEndpointClient(EgressHttpClient http, Clock clock, Set<String> dpopDisabledIssuers,
			Predicate<URI> resourceTakesDpop) {
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(dpopDisabledIssuers, "dpopDisabledIssuers cannot be null");
		Assert.notNull(resourceTakesDpop, "resourceTakesDpop cannot be null");
		this.http = http;
		this.clock = clock;
		this.dpopDisabledIssuers = Set.copyOf(dpopDisabledIssuers);
		this.resourceTakesDpop = resourceTakesDpop;
	}

	/**
	 * A new key for a grant, when the authorization server advertises DPoP, is not opted out,
	 * and the resource takes DPoP tokens (see {@link ResourceDpopSupport}).
	 * @param server the authorization server
	 * @param resource the protected resource
	 * @return the key, or {@code null} for bearer tokens
	 */
	DpopKey newDpopKey(AuthorizationServerMetadata server, URI resource) {
		String algorithm = DpopKey.preferredAlgorithm(server.dpopSigningAlgorithms());
		return (algorithm != null && !this.dpopDisabledIssuers.contains(server.issuer())
				&& this.resourceTakesDpop.test(resource)) ? DpopKey.generate(algorithm) : null;
	}

	/**
	 * Redeem an authorization code (with its PKCE verifier).
	 */
	TokenResult exchangeCode(RegisteredClient client, AuthorizationServerMetadata server, String code,
			String codeVerifier, URI redirectUri, URI resource) {
		AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
				new CodeVerifier(codeVerifier));
		return token(client, server, grant, null, resource, newDpopKey(server, resource));
	}

	/**
	 * Refresh an access token. A response without a refresh token means the old one stays valid.
	 */
	TokenResult refresh(RegisteredClient client, AuthorizationServerMetadata server, String refreshToken,
			URI resource) {
		return refresh(client, server, refreshToken, resource, null);
	}

	/**
	 * Refresh with the key the grant is bound to: a refresh token bound to a key (a public
	 * client's, RFC 9449 §5) is refused with a proof from another.
	 * @param dpopKey the connection's key, or {@code null} for a new one if the server wants DPoP
	 */
	TokenResult refresh(RegisteredClient client, AuthorizationServerMetadata server, String refreshToken,
			URI resource, DpopKey dpopKey) {
		return token(client, server, new RefreshTokenGrant(new RefreshToken(refreshToken)), null, resource,
				(dpopKey != null) ? dpopKey : newDpopKey(server, resource));
	}

	/**
	 * An application-level token through the client credentials grant.
	 */
	TokenResult clientCredentials(RegisteredClient client, AuthorizationServerMetadata server,
			Collection<String> scopes, URI resource) {
		return token(client, server, new ClientCredentialsGrant(), scopes, resource, newDpopKey(server, resource));
	}

	/**
	 * An RFC 7523 JWT bearer grant, for example with an Identity Assertion JWT Authorization
	 * Grant (ID-JAG) from the user's identity provider.
	 */
	TokenResult jwtBearer(RegisteredClient client, AuthorizationServerMetadata server, String assertion,
			Collection<String> scopes, URI resource) {
		try {
			return token(client, server, new JWTBearerGrant(com.nimbusds.jwt.SignedJWT.parse(assertion)), scopes,
					resource, newDpopKey(server, resource));
		}
		catch (java.text.ParseException ex) {
			throw new TokenRequestException(null, 0, "The identity assertion is not a signed JWT");
		}
	}

	/**
	 * RFC 8693 token exchange at an identity provider: an ID token for an ID-JAG addressed to an
	 * authorization server.
	 * @param tokenEndpoint the identity provider's token endpoint
	 * @param clientId the client id at the identity provider, or {@code null}
	 * @param subjectToken the ID token
	 * @param audience the authorization server issuer the grant is for
	 * @param resource the protected resource
	 * @return the issued ID-JAG
	 */
	String exchangeForIdJag(URI tokenEndpoint, String clientId, String subjectToken, String audience,
			URI resource) {
		TokenExchangeGrant grant = new TokenExchangeGrant(new TypelessAccessToken(subjectToken),
				TokenTypeURI.ID_TOKEN, null, null, parseTokenType(ID_JAG_TOKEN_TYPE),
				List.of(new com.nimbusds.oauth2.sdk.id.Audience(audience)));
		TokenRequest.Builder builder = (clientId != null)
				? new TokenRequest.Builder(tokenEndpoint, new ClientID(clientId), grant)
				: new TokenRequest.Builder(tokenEndpoint, grant);
		if (resource != null) {
			builder.resources(resource);
		}
		HTTPResponse response = this.http.exchange(builder.build().toHTTPRequest());
		try {
			TokenResponse parsed = TokenResponse.parse(response);
			if (!parsed.indicatesSuccess()) {
				throw error(((TokenErrorResponse) parsed).getErrorObject(), response.getStatusCode(),
						tokenEndpoint.getHost());
			}
			return parsed.toSuccessResponse().getTokens().getAccessToken().getValue();
		}
		catch (ParseException ex) {
			throw new TokenRequestException(null, response.getStatusCode(),
					"Identity provider at " + tokenEndpoint.getHost() + " sent an invalid token exchange response");
		}
	}

	/**
	 * RFC 7009 revocation. Failures are logged, not thrown: local deletion must not depend on
	 * the authorization server.
	 * @return whether the server confirmed
	 */
	boolean revoke(RegisteredClient client, AuthorizationServerMetadata server, Token token) {
		if (server.revocationEndpoint() == null) {
			return false;
		}
		try {
			ClientAuthentication auth = authentication(client, server);
			TokenRevocationRequest request = (auth != null)
					? new TokenRevocationRequest(server.revocationEndpoint(), auth, token)
					: new TokenRevocationRequest(server.revocationEndpoint(), new ClientID(client.clientId()), token);
			HTTPResponse response = this.http.exchange(request.toHTTPRequest());
			if (response.getStatusCode() != 200) {
				logger.info("Revocation at {} answered {}", server.issuer(), response.getStatusCode());
				return false;
			}
			return true;
		}
		catch (RuntimeException ex) {
			logger.info("Revocation at {} failed: {}", server.issuer(), ex.getMessage());
			return false;
		}
	}

	private TokenResult token(RegisteredClient client, AuthorizationServerMetadata server, AuthorizationGrant grant,
			Collection<String> scopes, URI resource, DpopKey dpopKey) {
		Supplier<HTTPRequest> request = () -> {
			// Built anew for a retry: a private_key_jwt client assertion is single-use.
			ClientAuthentication auth = authentication(client, server);
			TokenRequest.Builder builder = (auth != null)
					? new TokenRequest.Builder(server.tokenEndpoint(), auth, grant)
					: new TokenRequest.Builder(server.tokenEndpoint(), new ClientID(client.clientId()), grant);
			if (scopes != null && !scopes.isEmpty()) {
				builder.scope(new Scope(scopes.toArray(String[]::new)));
			}
			if (resource != null) {
				builder.resources(resource);
			}
			return builder.build().toHTTPRequest();
		};
		HTTPResponse response = (dpopKey != null) ? sendWithProof(request, server.tokenEndpoint(), dpopKey)
				: this.http.exchange(request.get());
		TokenResponse parsed;
		try {
			parsed = OIDCTokenResponseParser.parse(response);
		}
		catch (ParseException ex) {
			throw new TokenRequestException(null, response.getStatusCode(), "Authorization server " + server.issuer()
					+ " sent an invalid token response (HTTP " + response.getStatusCode() + ")");
		}
		if (!parsed.indicatesSuccess()) {
			throw error(((TokenErrorResponse) parsed).getErrorObject(), response.getStatusCode(), server.issuer());
		}
		var tokens = parsed.toSuccessResponse().getTokens();
		AccessToken access = tokens.getAccessToken();
		Instant now = this.clock.instant();
		Instant expiresAt = (access.getLifetime() > 0) ? now.plusSeconds(access.getLifetime()) : null;
		Set<String> granted = (access.getScope() != null) ? new LinkedHashSet<>(access.getScope().toStringList())
				: Set.of();
		String idToken = (tokens instanceof OIDCTokens oidc && oidc.getIDTokenString() != null)
				? oidc.getIDTokenString() : null;
		String refresh = (tokens.getRefreshToken() != null) ? tokens.getRefreshToken().getValue() : null;
		String type = (access.getType() != null) ? access.getType().getValue() : "Bearer";
		boolean bound = ConnectionCredentials.DPOP.equalsIgnoreCase(type);
		if (bound && dpopKey == null) {
			throw new TokenRequestException(null, response.getStatusCode(),
					"Authorization server " + server.issuer() + " issued a DPoP token to a request without a proof");
		}
		return new TokenResult(access.getValue(), refresh, type, expiresAt, granted, idToken, bound ? dpopKey : null);
	}

	/**
	 * A token request with a DPoP proof, sent once more with the server's nonce when it answers
	 * {@code use_dpop_nonce} (RFC 9449 §8); the nonce is kept for the next request to that origin.
	 */
	private HTTPResponse sendWithProof(Supplier<HTTPRequest> request, URI endpoint, DpopKey key) {
		String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
		HTTPResponse response = null;
		for (int attempt = 0; attempt < 2; attempt++) {
			HTTPRequest http = request.get();
			http.setHeader("DPoP", key.proof("POST", endpoint, null, this.dpopNonces.get(origin)));
			response = this.http.exchange(http);
			String nonce = response.getHeaderValue("DPoP-Nonce");
			if (nonce != null && !nonce.isBlank()) {
				if (this.dpopNonces.size() > 1000) {
					this.dpopNonces.clear();
				}
				this.dpopNonces.put(origin, nonce);
			}
			if (response.getStatusCode() != 400 || nonce == null || !"use_dpop_nonce".equals(errorCode(response))) {
				break;
			}
		}
		return response;
	}

	private static String errorCode(HTTPResponse response) {
		try {
			ErrorObject error = TokenErrorResponse.parse(response).getErrorObject();
			return (error != null) ? error.getCode() : null;
		}
		catch (ParseException ex) {
			return null;
		}
	}

	private static TokenRequestException error(ErrorObject error, int status, String where) {
		String code = (error != null) ? error.getCode() : null;
		return new TokenRequestException(code, status,
				"Authorization server " + where + " refused the request" + ((code != null) ? ": " + code : "")
						+ " (HTTP " + status + ")");
	}

	private static TokenTypeURI parseTokenType(String uri) {
		try {
			return TokenTypeURI.parse(uri);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static ClientAuthentication authentication(RegisteredClient client, AuthorizationServerMetadata server) {
		ClientID id = new ClientID(client.clientId());
		return switch (client.authMethod()) {
			case CLIENT_SECRET_BASIC -> new ClientSecretBasic(id, new Secret(client.clientSecret()));
			case CLIENT_SECRET_POST -> new ClientSecretPost(id, new Secret(client.clientSecret()));
			case PRIVATE_KEY_JWT -> privateKeyJwt(client, server);
			case NONE -> null;
		};
	}

	private static ClientAuthentication privateKeyJwt(RegisteredClient client, AuthorizationServerMetadata server) {
		String algorithm = (client.signingAlgorithm() != null) ? client.signingAlgorithm()
				: ("EC".equals(client.privateKey().getAlgorithm()) ? "ES256" : "RS256");
		try {
			// The audience is the authorization server's issuer (draft-ietf-oauth-rfc7523bis).
			return new PrivateKeyJWT(new ClientID(client.clientId()), URI.create(server.issuer()),
					JWSAlgorithm.parse(algorithm), client.privateKey(), client.keyId(), null);
		}
		catch (JOSEException ex) {
			throw new TokenRequestException(null, 0, "Could not sign the client assertion: " + ex.getClass().getSimpleName());
		}
	}

}
