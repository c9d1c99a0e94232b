package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * {@link dev.mcpconnector.registration.ClientAuthenticationMethod}.
 */
final class TokenEndpointClient {

	private static final Logger logger = LoggerFactory.getLogger(TokenEndpointClient.class);

	/** RFC 8693 token type of an Identity Assertion JWT Authorization Grant. */
	static final String ID_JAG_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id-jag";

	private final EgressHttpClient http;

	private final Clock clock;

	TokenEndpointClient(EgressHttpClient http, Clock clock) {
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.http = http;
		this.clock = clock;
	}

	/**
	 * Redeem an authorization code (with its PKCE verifier).
	 */
	TokenResult exchangeCode(RegisteredClient client, AuthorizationServerMetadata server, String code,
			String codeVerifier, URI redirectUri, URI resource) {
		AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
				new CodeVerifier(codeVerifier));
		return token(client, server, grant, null, resource);
	}

	/**
	 * Refresh an access token. A response without a refresh token means the old one stays valid.
	 */
	TokenResult refresh(RegisteredClient client, AuthorizationServerMetadata server, String refreshToken,
			URI resource) {
		return token(client, server, new RefreshTokenGrant(new RefreshToken(refreshToken)), null, resource);
	}

	/**
	 * An application-level token through the client credentials grant.
	 */
	TokenResult clientCredentials(RegisteredClient client, AuthorizationServerMetadata server,
			Collection<String> scopes, URI resource) {
		return token(client, server, new ClientCredentialsGrant(), scopes, resource);
	}

	/**
	 * An RFC 7523 JWT bearer grant, for example with an Identity Assertion JWT Authorization
	 * Grant (ID-JAG) from the user's identity provider.
	 */
	TokenResult jwtBearer(RegisteredClient client, AuthorizationServerMetadata server, String assertion,
			Collection<String> scopes, URI resource) {
		try {
			return token(client, server, new JWTBearerGrant(com.nimbusds.jwt.SignedJWT.parse(assertion)), scopes,
					resource);
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
			Collection<String> scopes, URI resource) {
		ClientAuthentication auth = authentication(client, server);
		TokenRequest.Builder builder = (auth != null) ? new TokenRequest.Builder(server.tokenEndpoint(), auth, grant)
				: new TokenRequest.Builder(server.tokenEndpoint(), new ClientID(client.clientId()), grant);
		if (scopes != null && !scopes.isEmpty()) {
			builder.scope(new Scope(scopes.toArray(String[]::new)));
		}
		if (resource != null) {
			builder.resources(resource);
		}
		HTTPResponse response = this.http.exchange(builder.build().toHTTPRequest());
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
		return new TokenResult(access.getValue(), refresh, type, expiresAt, granted, idToken);
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
