package dev.mcpconnector.authorization;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.RegisteredClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The authorization request: PKCE S256, state, nonce, resource and scopes, without a network. */
@Tag("fast")
class AuthorizationRequestResolverTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private static final URI REDIRECT = URI.create("https://app.example.com/api/mcp/oauth/callback");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			this.clock);

	private final McpConnection connection = this.connections.create(McpOwner.of("alice"),
			NewConnection.of("https://mcp.example.com/mcp"), ConnectionStatus.AUTHORIZATION_REQUIRED);

	private final RegisteredClient client = RegisteredClient.publicClient("https://as.example.com", "app",
			ClientRegistrationSource.PRE_REGISTERED);

	@Test
	void resolveWhenFirstAuthorizationThenPkceS256StateResourceAndTheResourceScopes() throws Exception {
		AuthorizationRequestResolver.ResolvedRequest request = resolver(false).resolve(this.connection, null,
				target(server(null), Set.of("read")), this.client, REDIRECT, "/home");
		Map<String, String> query = query(request.url());

		assertThat(request.url().toString()).startsWith("https://as.example.com/authorize?");
		assertThat(query).containsEntry("response_type", "code")
			.containsEntry("client_id", "app")
			.containsEntry("redirect_uri", REDIRECT.toString())
			.containsEntry("code_challenge_method", "S256")
			.containsEntry("resource", "https://mcp.example.com/mcp")
			.containsEntry("scope", "read offline_access")
			.doesNotContainKey("nonce");
		String verifier = request.pending().codeVerifier();
		String challenge = Base64.getUrlEncoder().withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		assertThat(query.get("code_challenge")).isEqualTo(challenge);
		assertThat(request.pending().stateHash()).isEqualTo(AuthorizationRequestResolver.sha256(query.get("state")))
			.isNotEqualTo(query.get("state"));
		assertThat(request.pending().issuer()).isEqualTo("https://as.example.com");
		assertThat(request.pending().returnTo()).isEqualTo("/home");
		assertThat(request.pending().expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
		assertThat(request.scopes()).containsExactly("read");
		assertThat(request.toString()).doesNotContain(query.get("state"));
	}

	@Test
	void resolveWhenCalledTwiceThenStateAndVerifierDiffer() {
		AuthorizationRequestResolver resolver = resolver(false);
		AuthorizationServers.Target target = target(server(null), Set.of());

		AuthorizationRequestResolver.ResolvedRequest first = resolver.resolve(this.connection, null, target, this.client,
				REDIRECT, null);
		AuthorizationRequestResolver.ResolvedRequest second = resolver.resolve(this.connection, null, target,
				this.client, REDIRECT, null);

		assertThat(first.pending().stateHash()).isNotEqualTo(second.pending().stateHash());
		assertThat(first.pending().codeVerifier()).isNotEqualTo(second.pending().codeVerifier());
	}

	@Test
	void resolveWhenChallengedForAScopeThenTheChallengeLeadsAndRequestedScopesStay() {
		McpConnection asked = this.connections.update(this.connection
			.withAuthorizationTarget(this.connection.resourceUri(), "https://as.example.com", Set.of("files"), NOW));
		BearerChallenge challenge = BearerChallenge.parse("Bearer error=\"insufficient_scope\", scope=\"admin\"")
			.orElseThrow();

		AuthorizationRequestResolver.ResolvedRequest request = resolver(false).resolve(asked, challenge,
				target(server(null), Set.of("read")), this.client, REDIRECT, null);

		assertThat(request.scopes()).containsExactlyInAnyOrder("admin", "files");
		assertThat(query(request.url()).get("scope").split(" ")).containsExactlyInAnyOrder("admin", "files",
				"offline_access");
	}

	@Test
	void resolveWhenOpenIdProviderAndOpenIdConnectOnThenAsksForAnIdTokenWithANonceKeptAsItsHash() {
		AuthorizationRequestResolver.ResolvedRequest request = resolver(true).resolve(this.connection, null,
				target(server(URI.create("https://as.example.com/jwks")), Set.of()), this.client, REDIRECT, null);
		Map<String, String> query = query(request.url());

		assertThat(query.get("scope").split(" ")).contains("openid", "profile");
		assertThat(query.get("nonce")).isNotBlank();
		assertThat(request.pending().nonceHash()).isEqualTo(AuthorizationRequestResolver.sha256(query.get("nonce")));
		assertThat(request.scopes()).doesNotContain("openid", "offline_access");
	}

	@Test
	void resolveWhenOpenIdConnectOffThenNoIdTokenIsAskedFor() {
		AuthorizationRequestResolver.ResolvedRequest request = resolver(false).resolve(this.connection, null,
				target(server(URI.create("https://as.example.com/jwks")), Set.of()), this.client, REDIRECT, null);

		assertThat(query(request.url())).doesNotContainKey("nonce");
		assertThat(query(request.url()).get("scope")).doesNotContain("openid");
		assertThat(request.pending().nonceHash()).isNull();
	}

	@Test
	void resolveWhenEdDsaAdvertisedThenAsksForAnIdToken() {
		AuthorizationRequestResolver.ResolvedRequest request = resolver(true).resolve(this.connection, null,
				target(server(URI.create("https://as.example.com/jwks"), Set.of("EdDSA")), Set.of()), this.client,
				REDIRECT, null);

		assertThat(query(request.url()).get("scope").split(" ")).contains("openid");
	}

	@Test
	void resolveWhenNoAdvertisedIdTokenAlgorithmIsVerifiableThenNoIdTokenIsAskedFor() {
		AuthorizationRequestResolver.ResolvedRequest request = resolver(true).resolve(this.connection, null,
				target(server(URI.create("https://as.example.com/jwks"), Set.of("ES256K", "HS256")), Set.of()),
				this.client, REDIRECT, null);

		assertThat(query(request.url())).doesNotContainKey("nonce");
		assertThat(query(request.url()).get("scope")).doesNotContain("openid");
		assertThat(request.pending().nonceHash()).isNull();
	}

	@Test
	void resolveWhenTheAuthorizationEndpointIsNotAllowedThenRefused() {
		AuthorizationServerMetadata plainHttp = new AuthorizationServerMetadata("https://as.example.com",
				URI.create("http://as.example.com/authorize"), URI.create("https://as.example.com/token"), null, null,
				List.of("S256"), Set.of(), List.of(), Set.of(), false, false, null, null, Set.of(),
				AuthorizationServerMetadata.Source.OAUTH_METADATA);

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> resolver(false)
			.resolve(this.connection, null, target(plainHttp, Set.of()), this.client, REDIRECT, null))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INSECURE_ENDPOINT));
	}

	private AuthorizationRequestResolver resolver(boolean openIdConnect) {
		return new AuthorizationRequestResolver(EgressPolicy.strict(), Duration.ofMinutes(5), openIdConnect, this.clock);
	}

	private AuthorizationServers.Target target(AuthorizationServerMetadata server, Set<String> resourceScopes) {
		return new AuthorizationServers.Target(URI.create("https://mcp.example.com/mcp"), server, resourceScopes);
	}

	private static AuthorizationServerMetadata server(URI jwks) {
		return server(jwks, Set.of());
	}

	private static AuthorizationServerMetadata server(URI jwks, Set<String> idTokenAlgorithms) {
		return new AuthorizationServerMetadata("https://as.example.com", URI.create("https://as.example.com/authorize"),
				URI.create("https://as.example.com/token"), null, null, List.of("S256"),
				Set.of("read", "offline_access", "openid", "profile"), List.of(), Set.of(), true, false, jwks, null,
				idTokenAlgorithms, AuthorizationServerMetadata.Source.OAUTH_METADATA);
	}

	private static Map<String, String> query(URI url) {
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : url.getRawQuery().split("&")) {
			int eq = pair.indexOf('=');
			params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return params;
	}

}
