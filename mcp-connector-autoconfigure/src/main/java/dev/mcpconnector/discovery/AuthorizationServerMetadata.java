package dev.mcpconnector.discovery;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * What mcp-connector uses of an authorization server's RFC 8414 or OpenID Connect metadata,
 * after the {@code issuer} was checked against the one it was fetched for.
 *
 * @param issuer the issuer identifier, exactly as the metadata states it
 * @param authorizationEndpoint the authorization endpoint
 * @param tokenEndpoint the token endpoint
 * @param registrationEndpoint the RFC 7591 registration endpoint, or {@code null}
 * @param revocationEndpoint the RFC 7009 revocation endpoint, or {@code null}
 * @param codeChallengeMethods the PKCE methods supported
 * @param scopesSupported the scopes supported, possibly empty
 * @param tokenEndpointAuthMethods the token endpoint auth methods supported, possibly empty
 * @param grantTypes the grant types supported, possibly empty
 * @param issParameterSupported whether the server advertises RFC 9207
 * {@code authorization_response_iss_parameter_supported}
 * @param clientIdMetadataDocumentSupported whether it advertises
 * {@code client_id_metadata_document_supported}
 * @param jwksUri the {@code jwks_uri} with the keys that sign its ID tokens, or {@code null}
 * @param userinfoEndpoint the OpenID Connect {@code userinfo_endpoint}, or {@code null}
 * @param idTokenSigningAlgorithms the {@code id_token_signing_alg_values_supported}, possibly empty
 * @param source where it came from
 * @param dpopSigningAlgorithms the {@code dpop_signing_alg_values_supported} (RFC 9449), empty
 * when the server does not advertise DPoP
 */
public record AuthorizationServerMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint,
		URI registrationEndpoint, URI revocationEndpoint, List<String> codeChallengeMethods,
		Set<String> scopesSupported, List<String> tokenEndpointAuthMethods, Set<String> grantTypes,
		boolean issParameterSupported, boolean clientIdMetadataDocumentSupported, URI jwksUri, URI userinfoEndpoint,
		Set<String> idTokenSigningAlgorithms, Source source, Set<String> dpopSigningAlgorithms) {

	/** The OpenID Connect scope that asks for an ID token. */
	public static final String OPENID = "openid";

	public AuthorizationServerMetadata {
		codeChallengeMethods = List.copyOf(codeChallengeMethods);
		scopesSupported = Set.copyOf(scopesSupported);
		tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
		grantTypes = Set.copyOf(grantTypes);
		idTokenSigningAlgorithms = (idTokenSigningAlgorithms != null) ? Set.copyOf(idTokenSigningAlgorithms) : Set.of();
		dpopSigningAlgorithms = (dpopSigningAlgorithms != null) ? Set.copyOf(dpopSigningAlgorithms) : Set.of();
	}

	/** Metadata of a server that does not advertise DPoP. */
	public AuthorizationServerMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint,
			URI registrationEndpoint, URI revocationEndpoint, List<String> codeChallengeMethods,
			Set<String> scopesSupported, List<String> tokenEndpointAuthMethods, Set<String> grantTypes,
			boolean issParameterSupported, boolean clientIdMetadataDocumentSupported, URI jwksUri,
			URI userinfoEndpoint, Set<String> idTokenSigningAlgorithms, Source source) {
		this(issuer, authorizationEndpoint, tokenEndpoint, registrationEndpoint, revocationEndpoint,
				codeChallengeMethods, scopesSupported, tokenEndpointAuthMethods, grantTypes, issParameterSupported,
				clientIdMetadataDocumentSupported, jwksUri, userinfoEndpoint, idTokenSigningAlgorithms, source, Set.of());
	}

	public boolean supportsS256() {
		return this.codeChallengeMethods.contains("S256");
	}

	/**
	 * Whether the server is an OpenID provider whose ID tokens can be checked: it lists
	 * {@code openid} in {@code scopes_supported} or its metadata came from OpenID Connect
	 * discovery, and it names a {@code jwks_uri}.
	 * @return whether to ask it for an ID token
	 */
	public boolean isOpenIdProvider() {
		return this.jwksUri != null
				&& (this.scopesSupported.contains(OPENID) || this.source == Source.OPENID_CONFIGURATION);
	}

	/** Where authorization server metadata came from. */
	public enum Source {

		/** RFC 8414 {@code /.well-known/oauth-authorization-server}. */
		OAUTH_METADATA,

		/** OpenID Connect discovery. */
		OPENID_CONFIGURATION,

		/** No metadata: the 2025-03-26 default endpoints at the server's origin. */
		DEFAULT_ENDPOINTS

	}

}
