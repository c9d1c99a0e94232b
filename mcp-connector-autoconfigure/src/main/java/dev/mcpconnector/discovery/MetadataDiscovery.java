package dev.mcpconnector.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.egress.EgressResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.util.Assert;

/**
 * Finds out how an MCP server is protected: RFC 9728 protected resource metadata, then RFC 8414
 * or OpenID Connect metadata of its authorization server, each in the order the MCP
 * authorization spec prescribes, each checked before use (the resource must be the server, the
 * issuer must be the one asked for, PKCE S256 must be advertised). Every request goes through
 * the {@link EgressHttpClient}.
 */
public class MetadataDiscovery {

	private static final Logger logger = LoggerFactory.getLogger(MetadataDiscovery.class);

	private static final Map<String, String> ACCEPT_JSON = Map.of("Accept", "application/json");

	private final EgressHttpClient http;

	/** How many authorization servers' metadata the default cache keeps. */
	public static final int DEFAULT_MAX_CACHED_SERVERS = 512;

	/** How long the default cache keeps an authorization server's metadata. */
	public static final Duration DEFAULT_CACHE_TIME_TO_LIVE = Duration.ofHours(1);

	private final Set<String> issuersWithoutPkceMetadata;

	private final AuthorizationServerMetadataCache cache;

	/**
	 * @param http the guarded client
	 * @param issuersWithoutPkceMetadata issuers explicitly allowed to omit
	 * {@code code_challenge_methods_supported} (S256 is still used with them); each use is logged
	 */
	public MetadataDiscovery(EgressHttpClient http, Set<String> issuersWithoutPkceMetadata) {
		this(http, issuersWithoutPkceMetadata, DEFAULT_MAX_CACHED_SERVERS, DEFAULT_CACHE_TIME_TO_LIVE,
				Clock.systemUTC());
	}

	/**
	 * @param http the guarded client
	 * @param issuersWithoutPkceMetadata issuers allowed to omit {@code code_challenge_methods_supported}
	 * @param maxCachedServers how many authorization servers' metadata to keep at most
	 * @param cacheTimeToLive how long to keep each
	 * @param clock the clock
	 */
	public MetadataDiscovery(EgressHttpClient http, Set<String> issuersWithoutPkceMetadata, int maxCachedServers,
			Duration cacheTimeToLive, Clock clock) {
		Assert.notNull(http, "http cannot be null");
		this.http = http;
		this.issuersWithoutPkceMetadata = (issuersWithoutPkceMetadata != null) ? Set.copyOf(issuersWithoutPkceMetadata)
				: Set.of();
		this.cache = new AuthorizationServerMetadataCache(maxCachedServers, cacheTimeToLive, clock);
	}

	/**
	 * Authorization server metadata kept from an earlier discovery.
	 * @param issuer the exact issuer
	 * @return the metadata, or empty when none is kept (or it expired)
	 */
	public Optional<AuthorizationServerMetadata> cachedAuthorizationServer(String issuer) {
		return (issuer != null) ? this.cache.get(issuer) : Optional.empty();
	}

	/**
	 * Keep checked metadata for later use with its issuer.
	 * @param metadata the metadata
	 */
	public void cacheAuthorizationServer(AuthorizationServerMetadata metadata) {
		this.cache.put(metadata);
	}

	/** Forget every kept authorization server's metadata, so the next use discovers it again. */
	public void forgetAuthorizationServers() {
		this.cache.clear();
	}

	/**
	 * Discover how a server is protected: its protected resource metadata and the first of the
	 * authorization servers it names that answers, or, for a server that publishes none (a
	 * 2025-03-26 server), the authorization server at its origin.
	 * @param serverUrl the MCP server URL
	 * @param challenge the server's 401 challenge, or {@code null}
	 * @return the resource, its authorization server and the scopes the resource lists
	 * @throws McpConnectorException when no metadata can be used; the first authorization
	 * server's failure when none answers
	 */
	public Protection discover(URI serverUrl, BearerChallenge challenge) {
		Optional<ProtectedResourceMetadata> resource = discoverResource(serverUrl, challenge);
		if (resource.isEmpty()) {
			return new Protection(McpConnection.resourceUriOf(serverUrl), discoverLegacy(serverUrl), Set.of());
		}
		List<RuntimeException> failures = new ArrayList<>();
		for (String issuer : resource.get().authorizationServers()) {
			try {
				return new Protection(resource.get().resource(), discoverAuthorizationServer(issuer),
						resource.get().scopesSupported());
			}
			catch (McpConnectorException ex) {
				failures.add(ex);
			}
		}
		throw failures.get(0);
	}

	/**
	 * Discover the protected resource metadata of a server: the challenge's
	 * {@code resource_metadata} when present, else the path-aware well-known URL, then the root
	 * one.
	 * @param serverUrl the MCP server URL
	 * @param challenge the 401 challenge, if any
	 * @return the checked metadata, or empty when the server publishes none (a 2025-03-26
	 * server)
	 * @throws McpConnectorException when metadata is found but describes another resource or is
	 * malformed
	 */
	Optional<ProtectedResourceMetadata> discoverResource(URI serverUrl, BearerChallenge challenge) {
		List<URI> candidates = new ArrayList<>();
		Optional<String> fromChallenge = (challenge != null) ? challenge.resourceMetadata() : Optional.empty();
		if (fromChallenge.isPresent()) {
			candidates.add(MetadataDocuments.parseUrl(fromChallenge.get(), "resource_metadata"));
		}
		else {
			String path = MetadataDocuments.trimTrailingSlash(serverUrl.getRawPath());
			if (!path.isEmpty()) {
				candidates.add(URI.create(MetadataDocuments.origin(serverUrl) + "/.well-known/oauth-protected-resource" + path));
			}
			candidates.add(URI.create(MetadataDocuments.origin(serverUrl) + "/.well-known/oauth-protected-resource"));
		}
		for (URI candidate : candidates) {
			EgressResponse response = fetch(candidate);
			if (response == null || !response.isSuccess()) {
				continue;
			}
			ProtectedResourceMetadata metadata = MetadataDocuments.parseResource(candidate, response);
			MetadataDocuments.checkResource(serverUrl, metadata.resource());
			logger.debug("Protected resource metadata for {} found at {}", serverUrl, candidate);
			return Optional.of(metadata);
		}
		if (fromChallenge.isPresent()) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "The resource_metadata URL named by " + serverUrl.getHost()
					+ " did not return protected resource metadata");
		}
		return Optional.empty();
	}

	/**
	 * Discover an authorization server's metadata, trying RFC 8414 and OpenID Connect
	 * locations in the spec's order, and check it.
	 * @param issuer the issuer, exactly as the protected resource metadata names it
	 * @return the checked metadata
	 */
	public AuthorizationServerMetadata discoverAuthorizationServer(String issuer) {
		URI issuerUri = MetadataDocuments.parseUrl(issuer, "issuer");
		if (issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "Issuer identifiers may not carry a query or fragment");
		}
		this.http.policy().checkSyntax(issuerUri);
		String origin = MetadataDocuments.origin(issuerUri);
		String path = MetadataDocuments.trimTrailingSlash(issuerUri.getRawPath());
		List<Candidate> candidates = new ArrayList<>();
		if (!path.isEmpty()) {
			candidates.add(new Candidate(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
					AuthorizationServerMetadata.Source.OAUTH_METADATA));
			candidates.add(new Candidate(URI.create(origin + "/.well-known/openid-configuration" + path),
					AuthorizationServerMetadata.Source.OPENID_CONFIGURATION));
			candidates.add(new Candidate(URI.create(origin + path + "/.well-known/openid-configuration"),
					AuthorizationServerMetadata.Source.OPENID_CONFIGURATION));
		}
		else {
			candidates.add(new Candidate(URI.create(origin + "/.well-known/oauth-authorization-server"),
					AuthorizationServerMetadata.Source.OAUTH_METADATA));
			candidates.add(new Candidate(URI.create(origin + "/.well-known/openid-configuration"),
					AuthorizationServerMetadata.Source.OPENID_CONFIGURATION));
		}
		for (Candidate candidate : candidates) {
			EgressResponse response = fetch(candidate.url());
			if (response == null || !response.isSuccess()) {
				continue;
			}
			return parseAuthorizationServer(issuer, issuer::equals, response, candidate.source());
		}
		throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "No authorization server metadata found for issuer " + issuer);
	}

	/**
	 * For servers that publish no protected resource metadata (the 2025-03-26 revision): the
	 * authorization server's metadata at the server's origin, else its default endpoints
	 * {@code /authorize}, {@code /token} and {@code /register}.
	 * @param serverUrl the MCP server URL
	 * @return the metadata
	 */
	AuthorizationServerMetadata discoverLegacy(URI serverUrl) {
		String origin = MetadataDocuments.origin(serverUrl);
		EgressResponse response = fetch(URI.create(origin + "/.well-known/oauth-authorization-server"));
		if (response != null && response.isSuccess()) {
			// No issuer was known beforehand: the 2025-03-26 rule derives the authorization server from
			// the MCP server's origin, so the metadata's issuer is accepted on that origin only.
			return parseAuthorizationServer(origin, (issuer) -> sameOrigin(issuer, origin), response,
					AuthorizationServerMetadata.Source.OAUTH_METADATA);
		}
		logger.info("No authorization server metadata at {}; using the 2025-03-26 default endpoints", origin);
		return new AuthorizationServerMetadata(origin, URI.create(origin + "/authorize"),
				URI.create(origin + "/token"), URI.create(origin + "/register"), null, List.of("S256"), Set.of(),
				List.of(), Set.of("authorization_code", "refresh_token"), false, false, null, null, Set.of(),
				AuthorizationServerMetadata.Source.DEFAULT_ENDPOINTS);
	}

	private EgressResponse fetch(URI url) {
		try {
			return this.http.get(url, ACCEPT_JSON);
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.UPSTREAM_UNREACHABLE && ex.error() != McpConnectorErrorCode.UPSTREAM_TIMEOUT) {
				throw ex;
			}
			logger.debug("Metadata request to {} failed: {}", url, ex.getMessage());
			return null;
		}
	}
	private static boolean sameOrigin(String issuer, String origin) {
		try {
			URI uri = new URI(issuer);
			return uri.getScheme() != null && uri.getRawAuthority() != null && MetadataDocuments.origin(uri).equals(origin)
					&& uri.getRawQuery() == null && uri.getRawFragment() == null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private AuthorizationServerMetadata parseAuthorizationServer(String expectedIssuer,
			java.util.function.Predicate<String> acceptedIssuer,
			EgressResponse response, AuthorizationServerMetadata.Source source) {
		JsonNode node = MetadataDocuments.readJson(response, "authorization server metadata");
		com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata metadata;
		try {
			metadata = com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata.parse(response.bodyAsString());
		}
		catch (ParseException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "Authorization server metadata of " + expectedIssuer + " is malformed");
		}
		String issuer = metadata.getIssuer().getValue();
		if (!acceptedIssuer.test(issuer)) {
			throw new McpConnectorException(McpConnectorErrorCode.ISSUER_MISMATCH, "Authorization server metadata fetched for issuer "
					+ expectedIssuer + " names another issuer; it is not used");
		}
		if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "Authorization server " + issuer + " has no authorization or token endpoint");
		}
		List<String> pkce = new ArrayList<>();
		if (metadata.getCodeChallengeMethods() != null) {
			metadata.getCodeChallengeMethods().stream().map(CodeChallengeMethod::getValue).forEach(pkce::add);
		}
		if (!pkce.contains("S256")) {
			if (metadata.getCodeChallengeMethods() == null && this.issuersWithoutPkceMetadata.contains(issuer)) {
				logger.warn("Authorization server {} does not advertise PKCE support; proceeding with S256 because"
						+ " it is configured as an exception", issuer);
				pkce.add("S256");
			}
			else {
				throw new McpConnectorException(McpConnectorErrorCode.PKCE_UNSUPPORTED, (metadata.getCodeChallengeMethods() == null)
						? "Authorization server " + issuer + " does not advertise PKCE (no code_challenge_methods_supported);"
								+ " if its documentation says it supports S256 anyway, add " + issuer
								+ " to mcp.connector.authorization.issuers-without-pkce-metadata"
						: "Authorization server " + issuer + " does not advertise PKCE S256 (code_challenge_methods_supported "
								+ pkce + "), which the connector requires");
			}
		}
		URI authorization = checkEndpoint(metadata.getAuthorizationEndpointURI(), issuer);
		URI token = checkFetchedEndpoint(metadata.getTokenEndpointURI(), "token_endpoint", issuer);
		URI registration = (metadata.getRegistrationEndpointURI() != null)
				? checkFetchedEndpoint(metadata.getRegistrationEndpointURI(), "registration_endpoint", issuer) : null;
		URI revocation = (metadata.getRevocationEndpointURI() != null)
				? checkFetchedEndpoint(metadata.getRevocationEndpointURI(), "revocation_endpoint", issuer) : null;
		Set<String> scopes = strings(node, "scopes_supported");
		List<String> authMethods = List.copyOf(strings(node, "token_endpoint_auth_methods_supported"));
		Set<String> grants = strings(node, "grant_types_supported");
		Object cimd = metadata.getCustomParameter("client_id_metadata_document_supported");
		// OpenID Connect: without an allowed jwks_uri no ID token can be checked, so the server is
		// then treated as a plain OAuth server rather than refused.
		URI jwks = optionalEndpoint(MetadataDocuments.text(node, "jwks_uri"), "jwks_uri", issuer);
		URI userinfo = optionalEndpoint(MetadataDocuments.text(node, "userinfo_endpoint"), "userinfo_endpoint", issuer);
		return new AuthorizationServerMetadata(issuer, authorization, token, registration, revocation, pkce, scopes,
				authMethods, grants, metadata.supportsAuthorizationResponseIssuerParam(), Boolean.TRUE.equals(cimd),
				jwks, userinfo, strings(node, "id_token_signing_alg_values_supported"), source,
				strings(node, "dpop_signing_alg_values_supported"));
	}

	private static Set<String> strings(JsonNode node, String field) {
		Set<String> values = new LinkedHashSet<>();
		JsonNode array = node.get(field);
		if (array != null && array.isArray()) {
			array.forEach((value) -> {
				if (value.isString()) {
					values.add(value.asString());
				}
			});
		}
		return values;
	}

	private URI optionalEndpoint(String value, String name, String issuer) {
		if (value == null) {
			return null;
		}
		try {
			URI uri = new URI(value);
			this.http.policy().checkSyntax(uri);
			if (!followsIssuer(uri, issuer)) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "allow-listed, another origin");
			}
			return uri;
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.EGRESS_DENIED) {
				throw ex;
			}
			logger.info("Authorization server {} names a {} that is not allowed; it is not used", issuer, name);
			return null;
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			logger.info("Authorization server {} names a {} that is not allowed; it is not used", issuer, name);
			return null;
		}
	}

	/**
	 * An endpoint this application sends requests to (token, registration, revocation): checked
	 * like any and, when its host and port are allow-listed, only on the issuer's own origin (the
	 * allow-list opens an internal host for the authorization server there, not for any issuer
	 * that would have codes, secrets or registrations posted to it).
	 */
	private URI checkFetchedEndpoint(URI endpoint, String name, String issuer) {
		checkEndpoint(endpoint, issuer);
		if (!followsIssuer(endpoint, issuer)) {
			throw new McpConnectorException(McpConnectorErrorCode.INSECURE_ENDPOINT, "Authorization server " + issuer
					+ " names as its " + name + " an allow-listed host (" + EgressPolicy.origin(endpoint)
					+ ") that is not on its own origin; allow-listed hosts serve only the issuer that lives there");
		}
		return endpoint;
	}

	/** Whether an endpoint is not allow-listed, or is on the issuer's origin. */
	private boolean followsIssuer(URI endpoint, String issuer) {
		return !this.http.policy().isAllowListed(endpoint)
				|| EgressPolicy.origin(endpoint).equals(EgressPolicy.origin(URI.create(issuer)));
	}

	private URI checkEndpoint(URI endpoint, String issuer) {
		try {
			this.http.policy().checkSyntax(endpoint);
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.EGRESS_DENIED) {
				throw ex;
			}
			throw new McpConnectorException(McpConnectorErrorCode.INSECURE_ENDPOINT,
					"Authorization server " + issuer + " names an endpoint that is not allowed: " + ex.getMessage());
		}
		return endpoint;
	}

	/**
	 * How a server is protected.
	 *
	 * @param resource the RFC 8707 resource the authorization server knows the server by
	 * @param server the authorization server
	 * @param resourceScopes the scopes the protected resource metadata lists, possibly none
	 */
	public record Protection(URI resource, AuthorizationServerMetadata server, Set<String> resourceScopes) {
	}

	private record Candidate(URI url, AuthorizationServerMetadata.Source source) {
	}

}
