package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestOAuthPeer.IdTokenForgery;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * ID tokens from a malicious OpenID provider on loopback ({@link TestOAuthPeer} with its own JWK
 * set): a valid one is accepted and its account shown; each forgery (another signing key,
 * audience, issuer or nonce, no nonce, expired, unsigned, HMAC with the client secret, keys
 * behind a forbidden redirect) is refused with an {@code invalid-id-token} Problem that names
 * what failed, stores no token and no account, and repeats none of the peer's tokens; a refresh
 * whose ID token names another subject or is forged stores nothing and asks for authorization
 * again.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class IdTokenForgeryTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	JdbcTemplate jdbc;

	TestOAuthPeer peer;

	final String alice = "alice-" + UUID.randomUUID();

	@BeforeEach
	void startPeer() {
		this.peer = new TestOAuthPeer();
		this.peer.oidc = true;
	}

	@AfterEach
	void stopPeer() {
		this.peer.close();
	}

	@Test
	void callbackWhenIdTokenValidThenAccountStoredAndShown() throws Exception {
		UUID id = connectAndCallback().andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"))
			.andExpect(jsonPath("$.connection.remoteAccount.subject").value("peer-user-1"))
			.andExpect(jsonPath("$.connection.remoteAccount.name").value("Pat Peer"))
			.andExpect(jsonPath("$.connection.remoteAccount.email").value("pat@peer.example"))
			.andReturn()
			.getResponse()
			.getContentAsString()
			.transform((body) -> UUID.fromString(json.readTree(body).at("/connection/id").asString()));

		assertThat(this.peer.lastNonce()).isNotBlank();
		assertThat(this.peer.idTokens()).hasSize(1);
		// The keys came from the peer's jwks_uri.
		assertThat(this.peer.requests()).contains("GET /jwks");
		this.mvc.perform(get("/api/mcp/connections").with(user(this.alice)))
			.andExpect(jsonPath("$[0].remoteAccount.name").value("Pat Peer"))
			.andExpect(jsonPath("$[0].remoteAccount.username").value("pat"));
		assertThat(this.repository.findCredentials(McpOwner.of(this.alice), id)).isPresent();
	}

	@Test
	void callbackWhenIdTokenHasNoNameThenUsernameShown() throws Exception {
		this.peer.idTokenName = null;
		connectAndCallback().andExpect(status().isOk())
			.andExpect(jsonPath("$.connection.remoteAccount.name").value("pat"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "WRONG_KEY|signature does not verify", "WRONG_AUDIENCE|another client",
			"WRONG_ISSUER|another issuer", "WRONG_NONCE|nonce", "NO_NONCE|nonce", "EXPIRED|expired",
			"UNSIGNED|not a signed JWT", "HMAC|signed with an algorithm that the authorization server does not advertise" })
	void callbackWhenIdTokenForgedThenRefusedAndNothingStored(IdTokenForgery forgery, String reason)
			throws Exception {
		this.peer.idTokenForgery = forgery;
		MvcResult result = connectAndCallback().andReturn();
		assertRefusedAndNothingStored(result, reason);
	}

	@Test
	void callbackWhenJwksRedirectsToAForbiddenAddressThenRefusedByTheEgressGuard() throws Exception {
		this.peer.jwksRedirect = "http://169.254.169.254/latest/meta-data/jwks";
		MvcResult result = connectAndCallback().andReturn();
		assertRefusedAndNothingStored(result, "keys could not be fetched");
		assertThat(this.peer.requests()).contains("GET /jwks");
	}

	@Test
	void refreshWhenIdTokenNamesAnotherSubjectThenRefusedAndReauthorizationRequired() throws Exception {
		UUID id = connected();
		McpOwner owner = McpOwner.of(this.alice);
		ConnectionCredentials before = this.repository.findCredentials(owner, id).orElseThrow();
		this.peer.idTokenSubject = "someone-else";

		MvcResult result = this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(this.alice))
			.with(csrf())).andReturn();

		assertThat(result.getResponse().getStatus()).isEqualTo(409);
		assertProblem(result, "remote-account-mismatch");
		assertThat(this.peer.tokenRequests()).extracting((r) -> r.get("grant_type")).contains("refresh_token");
		assertThat(this.repository.findCredentials(owner, id).orElseThrow().accessToken())
			.isEqualTo(before.accessToken());
		McpConnection connection = this.repository.find(owner, id).orElseThrow();
		assertThat(connection.status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
		assertThat(connection.remoteAccount().subject()).isEqualTo("peer-user-1");
	}

	@Test
	void refreshWhenIdTokenForgedThenRefusedAndNothingStored() throws Exception {
		UUID id = connected();
		McpOwner owner = McpOwner.of(this.alice);
		ConnectionCredentials before = this.repository.findCredentials(owner, id).orElseThrow();
		this.peer.idTokenForgery = IdTokenForgery.WRONG_KEY;

		MvcResult result = this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(this.alice))
			.with(csrf())).andReturn();

		assertThat(result.getResponse().getStatus()).isEqualTo(502);
		assertProblem(result, "invalid-id-token");
		assertThat(this.repository.findCredentials(owner, id).orElseThrow().accessToken())
			.isEqualTo(before.accessToken());
		assertThat(this.repository.find(owner, id).orElseThrow().status())
			.isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
	}

	@Test
	void refreshWhenIdTokenNamesTheSameSubjectThenStoredAndNameUpdated() throws Exception {
		UUID id = connected();
		McpOwner owner = McpOwner.of(this.alice);
		ConnectionCredentials before = this.repository.findCredentials(owner, id).orElseThrow();
		this.peer.idTokenName = "Pat Renamed";

		this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(this.alice)).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"));

		assertThat(this.peer.idTokens()).hasSize(2);
		assertThat(this.repository.findCredentials(owner, id).orElseThrow().accessToken())
			.isNotEqualTo(before.accessToken());
		assertThat(this.repository.find(owner, id).orElseThrow().remoteAccount().name()).isEqualTo("Pat Renamed");
	}

	private UUID connected() throws Exception {
		String body = connectAndCallback().andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		return UUID.fromString(json.readTree(body).at("/connection/id").asString());
	}

	private org.springframework.test.web.servlet.ResultActions connectAndCallback() throws Exception {
		JsonNode connect = json.readTree(this.mvc
			.perform(post("/api/mcp/connections").with(user(this.alice))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"%s\"}".formatted(this.peer.mcpUrl())))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		URI authorizationUrl = URI.create(connect.get("authorizationUrl").asString());
		assertThat(authorizationUrl.getRawQuery()).contains("nonce=").contains("openid");
		URI redirect = TestOAuthPeer.authorizeRedirect(authorizationUrl);
		return this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(this.alice))
			.accept(MediaType.APPLICATION_JSON));
	}

	private void assertRefusedAndNothingStored(MvcResult result, String reason) throws Exception {
		assertThat(result.getResponse().getStatus()).isEqualTo(502);
		JsonNode problem = assertProblem(result, "invalid-id-token");
		assertThat(problem.get("detail").asString()).contains(reason);
		// The code was redeemed, but nothing of the answer was kept.
		assertThat(this.peer.tokenRequests()).hasSize(1);
		McpOwner owner = McpOwner.of(this.alice);
		assertThat(this.repository.findAll(owner)).singleElement().satisfies((connection) -> {
			assertThat(connection.status()).isEqualTo(ConnectionStatus.AUTHORIZATION_REQUIRED);
			assertThat(connection.remoteAccount()).isNull();
			assertThat(this.repository.findCredentials(owner, connection.id())).isEmpty();
		});
		assertThat(this.jdbc.queryForObject("select count(*) from mcp_connection where owner_id = ?"
				+ " and remote_account is not null", Integer.class, this.alice)).isZero();
	}

	private JsonNode assertProblem(MvcResult result, String code) throws Exception {
		String body = result.getResponse().getContentAsString();
		assertThat(result.getResponse().getContentType()).contains("application/problem+json");
		JsonNode problem = json.readTree(body);
		assertThat(problem.get("type").asString()).isEqualTo("urn:mcp-connector:problem:" + code);
		assertThat(this.peer.secrets()).isNotEmpty().allSatisfy((secret) -> assertThat(body).doesNotContain(secret));
		assertThat(body).doesNotContain("pat@peer.example").doesNotContain("someone-else");
		return problem;
	}

}
