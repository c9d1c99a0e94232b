package dev.mcpconnector.authorization;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.sun.net.httpserver.HttpServer;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.RegisteredClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DPoP at a real token endpoint on loopback (RFC 9449 §5, §8): a proof on each grant when the
 * authorization server advertises DPoP and the resource takes DPoP tokens, the
 * {@code use_dpop_nonce} answer retried once with the nonce (kept for the next request), the
 * key reused on refresh; no proof when the issuer is opted out or the resource takes bearer
 * tokens only. And workload identity: the workload's JWT is the JWT bearer grant.
 */
@Tag("fast")
class TokenEndpointDpopTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private static final URI RESOURCE = URI.create("https://mcp.example.com/mcp");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	TokenEndpointDpopTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void codeExchangeWhenTheServerWantsANonceThenRetriesOnceWithItAndTheTokenIsBoundToTheKey() throws Exception {
		this.endpoint.respond((request) -> nonceOf(request.dpop()) == null
				? new TestTokenEndpoint.Response(400, "{\"error\":\"use_dpop_nonce\"}", Map.of("DPoP-Nonce", "n-1"))
				: dpopTokens("access-1"));
		TokenEndpointClient tokens = tokens(Set.of(), true);

		TokenResult result = tokens.exchangeCode(client(), dpopServer(), "code-1", "v".repeat(43), URI.create("http://x/cb"),
				RESOURCE);

		assertThat(this.endpoint.requests()).hasSize(2);
		SignedJWT first = SignedJWT.parse(this.endpoint.requests().get(0).dpop());
		SignedJWT retried = SignedJWT.parse(this.endpoint.requests().get(1).dpop());
		assertThat(first.getHeader().getType().toString()).isEqualTo("dpop+jwt");
		assertThat(first.getJWTClaimsSet().getStringClaim("htm")).isEqualTo("POST");
		assertThat(first.getJWTClaimsSet().getStringClaim("htu")).isEqualTo(this.endpoint.url("/token").toString());
		assertThat(first.getJWTClaimsSet().getClaim("ath")).isNull();
		assertThat(retried.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");
		assertThat(retried.getJWTClaimsSet().getJWTID()).isNotEqualTo(first.getJWTClaimsSet().getJWTID());
		assertThat(this.endpoint.requests().get(1).param("code")).isEqualTo("code-1");
		assertThat(result.tokenType()).isEqualTo("DPoP");
		assertThat(result.dpopKey().thumbprint())
			.isEqualTo(first.getHeader().getJWK().computeThumbprint().toString());
		assertThat(result.toCredentials(null, Set.of(), "client").isDpopBound()).isTrue();

		// The nonce is kept for the origin: a refresh sends it at once, with the same key.
		tokens.refresh(client(), dpopServer(), "refresh-1", RESOURCE, result.dpopKey());
		assertThat(this.endpoint.requests()).hasSize(3);
		SignedJWT refresh = SignedJWT.parse(this.endpoint.requests().get(2).dpop());
		assertThat(refresh.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");
		assertThat(refresh.getHeader().getJWK().computeThumbprint().toString()).isEqualTo(result.dpopKey().thumbprint());
	}

	@Test
	void grantsWhenTheIssuerIsOptedOutOrTheResourceTakesOnlyBearerTokensThenNoProof() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-1", null, 60));

		TokenResult optedOut = tokens(Set.of(this.endpoint.issuer()), true).clientCredentials(client(), dpopServer(),
				Set.of("read"), RESOURCE);
		TokenResult bearerResource = tokens(Set.of(), false).clientCredentials(client(), dpopServer(), Set.of("read"),
				RESOURCE);
		TokenResult noDpopServer = tokens(Set.of(), true).clientCredentials(client(), this.endpoint.metadata(),
				Set.of("read"), RESOURCE);

		assertThat(this.endpoint.requests()).extracting(TestTokenEndpoint.Request::dpop).containsExactly(null, null, null);
		assertThat(List.of(optedOut, bearerResource, noDpopServer)).allSatisfy((result) -> {
			assertThat(result.tokenType()).isEqualTo("Bearer");
			assertThat(result.dpopKey()).isNull();
		});
	}

	@Test
	void grantWhenTheServerIssuesADpopTokenToARequestWithoutAProofThenRefused() {
		this.endpoint.respond((request) -> dpopTokens("access-1"));
		assertThatExceptionOfType(TokenRequestException.class)
			.isThrownBy(() -> tokens(Set.of(), false).clientCredentials(client(), dpopServer(), Set.of(), RESOURCE))
			.withMessageNotContaining("access-1");
	}

	@Test
	void workloadIdentityWhenAskedThenTheWorkloadsJwtIsTheJwtBearerGrantAndARefusalIsNotRetried() throws Exception {
		String workloadJwt = signedJwt();
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-7", null, 300));
		WorkloadIdentityAuthorizedConnectionProvider provider = new WorkloadIdentityAuthorizedConnectionProvider(
				tokens(Set.of(), false), this.clock);

		assertThat(provider.authorize(first(Map.of()))).isNull();
		AuthorizedConnection authorized = provider.authorize(first(Map.of(
				WorkloadIdentityAuthorizedConnectionProvider.WORKLOAD_ASSERTION, (Supplier<String>) () -> workloadJwt)));

		assertThat(this.endpoint.requests()).hasSize(1);
		TestTokenEndpoint.Request sent = this.endpoint.requests().get(0);
		assertThat(sent.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
		assertThat(sent.param("assertion")).isEqualTo(workloadJwt);
		assertThat(sent.param("resource")).isEqualTo(RESOURCE.toString());
		assertThat(authorized.credentials().accessToken()).isEqualTo("access-7");

		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(400, "invalid_grant"));
		assertThatExceptionOfType(TokenRequestException.class).isThrownBy(() -> provider.authorize(first(Map.of(
				WorkloadIdentityAuthorizedConnectionProvider.WORKLOAD_ASSERTION, (Supplier<String>) () -> workloadJwt))));
		assertThat(this.endpoint.requests()).hasSize(2);
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> provider.authorize(first(
				Map.of(WorkloadIdentityAuthorizedConnectionProvider.WORKLOAD_ASSERTION, (Supplier<String>) () -> " "))));
		assertThat(this.endpoint.requests()).hasSize(2);
	}

	@Test
	void resourceTakesDpopWhenItChallengesWithDpopOrItsMetadataListsDpopAlgorithmsOnly() throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String base = "http://127.0.0.1:" + server.getAddress().getPort();
		Map<String, String> challenges = Map.of("/dpop", "DPoP resource_metadata=\"" + base + "/prm/none\"",
				"/listed", "Bearer resource_metadata=\"" + base + "/prm/listed\"", "/bearer",
				"Bearer resource_metadata=\"" + base + "/prm/none\"");
		server.createContext("/", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			byte[] body = path.equals("/prm/listed") ? "{\"dpop_signing_alg_values_supported\":[\"ES256\"]}".getBytes()
					: "{}".getBytes();
			if (challenges.containsKey(path)) {
				exchange.getResponseHeaders().add("WWW-Authenticate", challenges.get(path));
			}
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(challenges.containsKey(path) ? 401 : 200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			ResourceDpopSupport support = new ResourceDpopSupport(TestTokenEndpoint.http(), this.clock);
			assertThat(support.takesDpop(URI.create(base + "/dpop"))).isTrue();
			assertThat(support.takesDpop(URI.create(base + "/listed"))).isTrue();
			assertThat(support.takesDpop(URI.create(base + "/bearer"))).isFalse();
			assertThat(support.takesDpop(URI.create("http://127.0.0.1:1/unreachable"))).isFalse();
		}
		finally {
			server.stop(0);
		}
	}

	private TokenEndpointClient tokens(Set<String> optedOut, boolean resourceTakesDpop) {
		return new TokenEndpointClient(TestTokenEndpoint.http(), this.clock, optedOut, (resource) -> resourceTakesDpop);
	}

	private AuthorizationServerMetadata dpopServer() {
		return this.endpoint.metadata(Set.of("RS256", "ES256"));
	}

	private RegisteredClient client() {
		return new RegisteredClient(this.endpoint.issuer(), "app", "s3cret", ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
				ClientRegistrationSource.PRE_REGISTERED, null, null, null);
	}

	private AuthorizationContext first(Map<String, Object> attributes) {
		McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(), this.clock);
		McpConnection connection = connections.create(McpOwner.of("app"), NewConnection.of(RESOURCE.toString()),
				ConnectionStatus.AUTHORIZATION_REQUIRED);
		return AuthorizationContext.firstAuthorization(McpOwner.of("app"), connection, this.endpoint.metadata(), client(),
				RESOURCE, Set.of(), attributes);
	}

	private static TestTokenEndpoint.Response dpopTokens(String accessToken) {
		return new TestTokenEndpoint.Response(200,
				"{\"access_token\":\"" + accessToken + "\",\"token_type\":\"DPoP\",\"expires_in\":60}");
	}

	private static String nonceOf(String proof) {
		try {
			return (proof != null) ? SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("nonce") : null;
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String signedJwt() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				new JWTClaimsSet.Builder().subject("workload").issuer("https://idp.example.com").build());
		jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

}
