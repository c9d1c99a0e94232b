package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.registration.RegisteredClient;
import dev.mcpconnector.registration.StoredClientRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each provider against a real token endpoint on loopback: what it sends, what it returns, and
 * when the job is not its own (then it sends nothing and returns {@code null}).
 */
@Tag("fast")
class AuthorizedConnectionProviderTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	private final TokenEndpointClient tokens;

	private final ClientRegistrationStore store = ClientRegistrationStore.inMemory();

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			this.clock);

	private final McpOwner alice = McpOwner.of("alice");

	AuthorizedConnectionProviderTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
		this.tokens = new TokenEndpointClient(TestTokenEndpoint.http(), this.clock);
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void refreshTokenWhenAccessTokenExpiredThenRefreshesWithResourceAndKeepsTheOldRefreshToken() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-2", null, 600));
		RefreshTokenAuthorizedConnectionProvider provider = refreshProvider(Duration.ZERO);
		AuthorizationContext context = renewal(credentials(NOW.minusSeconds(1)), false);

		AuthorizedConnection authorized = provider.authorize(context);

		assertThat(authorized.credentials().accessToken()).isEqualTo("access-2");
		assertThat(authorized.credentials().refreshToken()).isEqualTo("refresh-1");
		assertThat(authorized.credentials().expiresAt()).isEqualTo(NOW.plusSeconds(600));
		assertThat(authorized.credentials().scopes()).containsExactly("read");
		TestTokenEndpoint.Request sent = this.endpoint.requests().get(0);
		assertThat(sent.path()).isEqualTo("/token");
		assertThat(sent.param("grant_type")).isEqualTo("refresh_token");
		assertThat(sent.param("refresh_token")).isEqualTo("refresh-1");
		assertThat(sent.param("resource")).isEqualTo(context.resource().toString());
		assertThat(sent.authorization()).isEqualTo("Basic "
				+ Base64.getEncoder().encodeToString("app:s3cret".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void refreshTokenWhenServerRotatesTheRefreshTokenThenTheNewOneReplacesTheOld() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-2", "refresh-2", 600));

		AuthorizedConnection authorized = refreshProvider(Duration.ZERO)
			.authorize(renewal(credentials(NOW.minusSeconds(1)), false));

		assertThat(authorized.credentials().refreshToken()).isEqualTo("refresh-2");
	}

	@Test
	void refreshTokenWhenAccessTokenExpiresWithinTheClockSkewThenRefreshes() {
		RefreshTokenAuthorizedConnectionProvider provider = refreshProvider(Duration.ofSeconds(30));

		assertThat(provider.authorize(renewal(credentials(NOW.plusSeconds(20)), false))).isNotNull();
		assertThat(this.endpoint.requests()).hasSize(1);
	}

	@Test
	void refreshTokenWhenAccessTokenValidAndNotRefusedThenNotItsJob() {
		RefreshTokenAuthorizedConnectionProvider provider = refreshProvider(Duration.ofSeconds(30));

		assertThat(provider.authorize(renewal(credentials(NOW.plusSeconds(300)), false))).isNull();
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void refreshTokenWhenValidButRefusedByTheServerThenRefreshes() {
		RefreshTokenAuthorizedConnectionProvider provider = refreshProvider(Duration.ZERO);

		assertThat(provider.authorize(renewal(credentials(NOW.plusSeconds(300)), true))).isNotNull();
		assertThat(this.endpoint.requests()).hasSize(1);
	}

	@Test
	void refreshTokenWhenNoRefreshTokenThenNotItsJob() {
		ConnectionCredentials withoutRefresh = new ConnectionCredentials("access-1", null, "Bearer",
				NOW.minusSeconds(1), Set.of("read"));

		assertThat(refreshProvider(Duration.ZERO).authorize(renewal(withoutRefresh, true))).isNull();
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void refreshTokenWhenInvalidGrantThenTheGrantIsUnusable() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(400, "invalid_grant"));

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> refreshProvider(Duration.ZERO).authorize(renewal(credentials(NOW.minusSeconds(1)), false)))
			.satisfies((ex) -> assertThat(ex.toThrow(null)).isInstanceOf(AuthorizationRequiredException.class));
	}

	@Test
	void refreshTokenWhenInvalidClientThenTheDynamicRegistrationIsForgotten() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(401, "invalid_client"));
		this.store.save(new StoredClientRegistration(this.endpoint.issuer(), "dyn", "s3cret",
				ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientRegistrationSource.DYNAMIC, "http://app/cb", null,
				NOW));
		RegisteredClient dynamic = RegisteredClient.of(this.store.find(this.endpoint.issuer()).orElseThrow());
		AuthorizationContext context = AuthorizationContext.renewal(this.alice, connection(),
				credentials(NOW.minusSeconds(1)), false, this.endpoint::metadata, (server) -> Optional.of(dynamic));

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> refreshProvider(Duration.ZERO).authorize(context));
		assertThat(this.store.find(this.endpoint.issuer())).isEmpty();
		assertThat(this.endpoint.requests().get(0).param("client_secret")).isEqualTo("s3cret");
	}

	@Test
	void refreshTokenWhenTheServerFailsOtherwiseThenTheFailureIsNotAGrantProblem() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(503, "temporarily_unavailable"));

		assertThatExceptionOfType(TokenRequestException.class)
			.isThrownBy(() -> refreshProvider(Duration.ZERO).authorize(renewal(credentials(NOW.minusSeconds(1)), false)));
	}

	@Test
	void refreshTokenWhenTheClientRegistrationIsGoneThenTheGrantIsUnusable() {
		AuthorizationContext context = AuthorizationContext.renewal(this.alice, connection(),
				credentials(NOW.minusSeconds(1)), false, this.endpoint::metadata, (server) -> Optional.empty());

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> refreshProvider(Duration.ZERO).authorize(context));
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void clientCredentialsWhenAskedThenPostsTheGrantWithScopesAndResourceAndActivatesTheConnection() {
		ClientCredentialsAuthorizedConnectionProvider provider = new ClientCredentialsAuthorizedConnectionProvider(
				this.tokens, this.clock);
		AuthorizationContext context = first(Map.of(ClientCredentialsAuthorizedConnectionProvider.CLIENT_CREDENTIALS,
				Boolean.TRUE));

		AuthorizedConnection authorized = provider.authorize(context);

		TestTokenEndpoint.Request sent = this.endpoint.requests().get(0);
		assertThat(sent.param("grant_type")).isEqualTo("client_credentials");
		assertThat(sent.param("scope")).isEqualTo("read");
		assertThat(sent.param("resource")).isEqualTo("https://mcp.example.com/mcp");
		assertThat(authorized.connection().status()).isEqualTo(ConnectionStatus.ACTIVE);
		assertThat(authorized.connection().issuer()).isEqualTo(this.endpoint.issuer());
		assertThat(authorized.credentials().accessToken()).isEqualTo("access-1");
	}

	@Test
	void clientCredentialsWhenNotAskedOrRenewingThenNotItsJob() {
		ClientCredentialsAuthorizedConnectionProvider provider = new ClientCredentialsAuthorizedConnectionProvider(
				this.tokens, this.clock);

		assertThat(provider.authorize(first(Map.of()))).isNull();
		assertThat(provider.authorize(renewal(credentials(NOW.minusSeconds(1)), true))).isNull();
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void identityAssertionWhenAskedThenExchangesTheIdTokenForAnIdJagAndRedeemsItAsAJwtBearer() throws Exception {
		String idJag = signedJwt();
		this.endpoint.respond((request) -> request.path().equals("/idp/token")
				? new TestTokenEndpoint.Response(200, "{\"access_token\":\"" + idJag + "\",\"issued_token_type\":\""
						+ TokenEndpointClient.ID_JAG_TOKEN_TYPE + "\",\"token_type\":\"N_A\"}")
				: TestTokenEndpoint.Response.tokens("access-9", null, 300));
		IdentityAssertionAuthorizedConnectionProvider provider = new IdentityAssertionAuthorizedConnectionProvider(
				this.tokens, this.clock);
		AuthorizationContext context = first(Map.of(IdentityAssertionAuthorizedConnectionProvider.IDENTITY_ASSERTION,
				new IdentityAssertionAuthorizedConnectionProvider.IdentityAssertion(this.endpoint.url("/idp/token"),
						"idp-client", "the-users-id-token")));

		AuthorizedConnection authorized = provider.authorize(context);

		assertThat(this.endpoint.requests()).extracting(TestTokenEndpoint.Request::path)
			.containsExactly("/idp/token", "/token");
		TestTokenEndpoint.Request exchange = this.endpoint.requests().get(0);
		assertThat(exchange.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
		assertThat(exchange.param("subject_token")).isEqualTo("the-users-id-token");
		assertThat(exchange.param("requested_token_type")).isEqualTo(TokenEndpointClient.ID_JAG_TOKEN_TYPE);
		assertThat(exchange.param("audience")).isEqualTo(this.endpoint.issuer());
		TestTokenEndpoint.Request bearer = this.endpoint.requests().get(1);
		assertThat(bearer.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
		assertThat(bearer.param("assertion")).isEqualTo(idJag);
		assertThat(authorized.credentials().accessToken()).isEqualTo("access-9");
		assertThat(context.toString()).doesNotContain("the-users-id-token");
	}

	@Test
	void delegatingWhenTheFirstProviderDeclinesThenAsksTheNextAndStopsAtTheFirstAnswer() {
		AuthorizedConnection answer = new AuthorizedConnection(connection(), credentials(NOW));
		DelegatingAuthorizedConnectionProvider chain = new DelegatingAuthorizedConnectionProvider(
				java.util.List.of((context) -> null, (context) -> answer, (context) -> {
					throw new AssertionError("asked after an answer");
				}));

		assertThat(chain.authorize(first(Map.of()))).isSameAs(answer);
		assertThat(new DelegatingAuthorizedConnectionProvider(java.util.List.of((context) -> null))
			.authorize(first(Map.of()))).isNull();
	}

	private RefreshTokenAuthorizedConnectionProvider refreshProvider(Duration skew) {
		return new RefreshTokenAuthorizedConnectionProvider(this.tokens, registrations(), null, this.clock, skew);
	}

	private ClientRegistrationResolver registrations() {
		return new ClientRegistrationResolver(TestTokenEndpoint.http(), this.store, PreRegisteredClients.none(), null,
				"test", this.clock);
	}

	private RegisteredClient client() {
		return new RegisteredClient(this.endpoint.issuer(), "app", "s3cret", ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
				ClientRegistrationSource.PRE_REGISTERED, null, null, null);
	}

	private McpConnection connection() {
		return this.connections.create(this.alice, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.AUTHORIZATION_REQUIRED);
	}

	private static ConnectionCredentials credentials(Instant expiresAt) {
		return new ConnectionCredentials("access-1", "refresh-1", "Bearer", expiresAt, Set.of("read"));
	}

	private AuthorizationContext renewal(ConnectionCredentials credentials, boolean refused) {
		return AuthorizationContext.renewal(this.alice, connection(), credentials, refused, this.endpoint::metadata,
				(server) -> Optional.of(client()));
	}

	private AuthorizationContext first(Map<String, Object> attributes) {
		AuthorizationServerMetadata server = this.endpoint.metadata();
		return AuthorizationContext.firstAuthorization(this.alice, connection(), server, client(),
				URI.create("https://mcp.example.com/mcp"), Set.of("read"), attributes);
	}

	private static String signedJwt() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				new JWTClaimsSet.Builder().subject("alice").issuer("https://idp.example.com").build());
		jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

}
