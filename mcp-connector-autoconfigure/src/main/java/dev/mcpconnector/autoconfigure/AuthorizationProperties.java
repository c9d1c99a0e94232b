package dev.mcpconnector.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OAuth authorization flow with each MCP server's authorization server
 * ({@code mcp.connector.authorization.*}).
 */
class AuthorizationProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".authorization";

	static final Duration MAX_STATE_LIFETIME = Duration.ofMinutes(10);

	static final Duration MAX_ID_TOKEN_CLOCK_SKEW = Duration.ofMinutes(5);

	/**
	 * Absolute callback URL registered with authorization servers. When unset it is
	 * '{context-path}{base-path}/oauth/callback' on the first trusted origin, or, when none is
	 * set either, on 'http://localhost:{port the request arrived on}' (local development). It is
	 * never taken from a request's Host or X-Forwarded-* headers.
	 */
	private URI redirectUri;

	/**
	 * Origins (scheme, host and optional port, no path) at which browsers reach this
	 * application, such as 'https://app.example.com'. The first one builds the callback URL when
	 * redirect-uri is unset.
	 */
	private List<URI> trustedOrigins = new ArrayList<>();

	/** How long an authorization request may take from redirect to callback (at most 10 minutes). */
	private Duration stateLifetime = Duration.ofMinutes(10);

	/** How long before its expiry an access token is refreshed. */
	private Duration refreshSkew = Duration.ofSeconds(30);

	/**
	 * Most database connections the refresh locks hold at once: a refresh holds one across its
	 * token request, from a pool of its own with the application's Hikari settings, so
	 * refreshes never wait on the application's pool while holding one of its connections.
	 * Refreshes of more connections at once wait for one.
	 */
	private int refreshLockPoolSize = 4;

	/** Where the browser goes after the callback when the request named no valid return path. */
	private String defaultReturnTo = "/";

	/**
	 * Issuers allowed to omit 'code_challenge_methods_supported' from their metadata (PKCE
	 * S256 is still used). Each use is logged.
	 */
	private Set<String> issuersWithoutPkceMetadata = new LinkedHashSet<>();

	/**
	 * Issuers whose tokens are requested without DPoP (RFC 9449) even though their metadata
	 * advertises dpop_signing_alg_values_supported: bearer tokens, as before. Everywhere else a
	 * server that advertises DPoP gets proofs and issues tokens bound to a key per connection.
	 */
	private Set<String> dpopDisabledIssuers = new LinkedHashSet<>();

	/**
	 * Whether to ask authorization servers that are OpenID providers for an ID token (scope
	 * 'openid', plus 'profile' and 'email' when listed, with a nonce), check it and show the
	 * remote account each connection is signed in as.
	 */
	private boolean openIdConnect = true;

	/** How far an ID token's 'exp' and 'iat' may be off the local clock (at most 5 minutes). */
	private Duration idTokenClockSkew = Duration.ofSeconds(60);

	public boolean isOpenIdConnect() {
		return this.openIdConnect;
	}

	public void setOpenIdConnect(boolean openIdConnect) {
		this.openIdConnect = openIdConnect;
	}

	public Duration getIdTokenClockSkew() {
		return this.idTokenClockSkew;
	}

	public void setIdTokenClockSkew(Duration idTokenClockSkew) {
		this.idTokenClockSkew = idTokenClockSkew;
	}

	public URI getRedirectUri() {
		return this.redirectUri;
	}

	public void setRedirectUri(URI redirectUri) {
		this.redirectUri = redirectUri;
	}

	public List<URI> getTrustedOrigins() {
		return this.trustedOrigins;
	}

	public void setTrustedOrigins(List<URI> trustedOrigins) {
		this.trustedOrigins = trustedOrigins;
	}

	/**
	 * The callback URL to register: the configured one, else the callback on the first trusted
	 * origin, else {@code null} (the web layer then uses localhost at the request's port).
	 * @param contextPath the servlet context path, possibly empty
	 * @param basePath the REST API's base path
	 * @return the redirect URI, or {@code null}
	 */
	URI effectiveRedirectUri(String contextPath, String basePath) {
		if (this.redirectUri != null || this.trustedOrigins.isEmpty()) {
			return this.redirectUri;
		}
		String origin = this.trustedOrigins.get(0).toString();
		origin = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
		return URI.create(origin + ((contextPath != null) ? contextPath : "") + basePath + "/oauth/callback");
	}

	public Duration getStateLifetime() {
		return this.stateLifetime;
	}

	public void setStateLifetime(Duration stateLifetime) {
		this.stateLifetime = stateLifetime;
	}

	public Duration getRefreshSkew() {
		return this.refreshSkew;
	}

	public void setRefreshSkew(Duration refreshSkew) {
		this.refreshSkew = refreshSkew;
	}

	public int getRefreshLockPoolSize() {
		return this.refreshLockPoolSize;
	}

	public void setRefreshLockPoolSize(int refreshLockPoolSize) {
		this.refreshLockPoolSize = refreshLockPoolSize;
	}

	public String getDefaultReturnTo() {
		return this.defaultReturnTo;
	}

	public void setDefaultReturnTo(String defaultReturnTo) {
		this.defaultReturnTo = defaultReturnTo;
	}

	public Set<String> getIssuersWithoutPkceMetadata() {
		return this.issuersWithoutPkceMetadata;
	}

	public void setIssuersWithoutPkceMetadata(Set<String> issuersWithoutPkceMetadata) {
		this.issuersWithoutPkceMetadata = issuersWithoutPkceMetadata;
	}

	public Set<String> getDpopDisabledIssuers() {
		return this.dpopDisabledIssuers;
	}

	public void setDpopDisabledIssuers(Set<String> dpopDisabledIssuers) {
		this.dpopDisabledIssuers = dpopDisabledIssuers;
	}

	void validate() {
		PropertyChecks.absolute(PREFIX + ".redirect-uri", this.redirectUri);
		for (URI origin : this.trustedOrigins) {
			if (origin == null || origin.getHost() == null || origin.getScheme() == null
					|| !List.of("http", "https").contains(origin.getScheme().toLowerCase(java.util.Locale.ROOT))
					|| (origin.getRawPath() != null && !origin.getRawPath().isEmpty() && !"/".equals(origin.getRawPath()))
					|| origin.getRawQuery() != null || origin.getRawFragment() != null || origin.getRawUserInfo() != null) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".trusted-origins",
						"must be origins such as 'https://app.example.com' (scheme, host, optional port), but had '"
								+ origin + "'");
			}
		}
		PropertyChecks.between(PREFIX + ".state-lifetime", this.stateLifetime, Duration.ofSeconds(1),
				MAX_STATE_LIFETIME);
		PropertyChecks.notNegative(PREFIX + ".refresh-skew", this.refreshSkew);
		PropertyChecks.positive(PREFIX + ".refresh-lock-pool-size", this.refreshLockPoolSize);
		PropertyChecks.between(PREFIX + ".id-token-clock-skew", this.idTokenClockSkew, Duration.ZERO,
				MAX_ID_TOKEN_CLOCK_SKEW);
		if (this.defaultReturnTo == null || !this.defaultReturnTo.startsWith("/")
				|| this.defaultReturnTo.startsWith("//")) {
			throw new InvalidMcpConnectorPropertyException(PREFIX + ".default-return-to",
					"must be a path on this application starting with a single '/', but was '" + this.defaultReturnTo
							+ "'");
		}
	}

}
