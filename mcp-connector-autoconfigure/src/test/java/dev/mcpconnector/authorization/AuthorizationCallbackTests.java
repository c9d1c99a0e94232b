package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The authorization flow through the REST API against a real loopback OAuth peer, and every
 * way a callback or a metadata document can be refused: each refusal is Problem Details, sends
 * no token request and stores nothing.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class AuthorizationCallbackTests {

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
	}

	@AfterEach
	void stopPeer() {
		this.peer.close();
	}

	@Test
	void callbackWhenValidThenTokensStoredAndConnectionActive() throws Exception {
		Connect connect = connect(this.alice);
		assertThat(connect.authorizationUrl().getQuery()).contains("resource=" + this.peer.mcpUrl())
			.contains("code_challenge_method=S256");
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());

		this.mvc.perform(callback(redirect, this.alice))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"))
			.andExpect(jsonPath("$.connection.status").value("ACTIVE"));

		assertThat(this.peer.tokenRequests()).hasSize(1);
		Map<String, String> tokenRequest = this.peer.tokenRequests().get(0);
		assertThat(tokenRequest).containsEntry("grant_type", "authorization_code")
			.containsEntry("resource", this.peer.mcpUrl())
			.containsKey("code_verifier");
		assertThat(this.repository.findCredentials(McpOwner.of(this.alice), connect.id()))
			.hasValueSatisfying((c) -> assertThat(c.accessToken()).startsWith(this.peer.accessToken));
	}

	@Test
	void reauthorizeWhenServerNamesAnotherAuthorizationServerThenOldGrantNeverReachesIt() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.mvc.perform(callback(redirect, this.alice)).andExpect(jsonPath("$.connection.status").value("ACTIVE"));
		McpOwner owner = McpOwner.of(this.alice);
		assertThat(this.repository.findCredentials(owner, connect.id())).isPresent();
		try (TestOAuthPeer other = new TestOAuthPeer()) {
			// The MCP server now trusts another authorization server; the user starts a new
			// authorization there and abandons it.
			this.peer.authorizationServer = other.issuer();
			this.mvc.perform(post("/api/mcp/connections/" + connect.id() + "/authorize").with(user(this.alice))
				.with(csrf()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.authorizationUrl").value(org.hamcrest.Matchers.startsWith(other.issuer())));
			assertThat(this.repository.findCredentials(owner, connect.id())).isEmpty();
			assertThat(this.repository.find(owner, connect.id()).orElseThrow().status())
				.isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);

			this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
				.delete("/api/mcp/connections/" + connect.id())
				.with(user(this.alice))
				.with(csrf())).andExpect(status().isNoContent());
			assertThat(other.revocations()).isZero();
			assertThat(other.requests()).noneMatch((request) -> request.contains(this.peer.refreshToken)
					|| request.contains(this.peer.accessToken));
			assertThat(other.tokenRequests()).isEmpty();
		}
	}

	@Test
	void callbackWhenBrowserAsksForHtmlThenRedirectsToReturnPath() throws Exception {
		Connect connect = connect(this.alice, "/settings/connections");
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(this.alice)))
			.andExpect(status().isFound())
			.andExpect((result) -> assertThat(result.getResponse().getHeader("Location"))
				.startsWith("/settings/connections?connection=" + connect.id() + "&outcome=authorized"));
	}

	@Test
	void connectWhenReturnToIsForeignThenDefaultPathUsed() throws Exception {
		for (String evil : new String[] { "https://evil.example.com/", "//evil.example.com", "/\\evil.example.com",
				"javascript:alert(1)", "/ok\r\nLocation: https://evil" }) {
			Connect connect = connect(this.alice, evil);
			URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
			this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(this.alice)))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getHeader("Location")).as(evil)
					.startsWith("/?connection="));
		}
	}

	@Test
	void callbackWhenStateTamperedThenRefused() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		String state = query(redirect, "state");
		String tampered = redirect.toString().replace("state=" + state, "state=" + flip(state));
		assertRefused(this.mvc.perform(callback(URI.create(tampered), this.alice)).andReturn(), connect);
	}

	@Test
	void callbackWhenStateMissingThenRefused() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		String withoutState = redirect.toString().replaceAll("&state=[^&]*", "");
		assertRefused(this.mvc.perform(callback(URI.create(withoutState), this.alice)).andReturn(), connect);
	}

	@Test
	void callbackWhenReplayedThenRefusedAndNoSecondTokenRequest() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.mvc.perform(callback(redirect, this.alice)).andExpect(status().isOk());
		MvcResult replay = this.mvc.perform(callback(redirect, this.alice)).andReturn();
		assertThat(replay.getResponse().getStatus()).isEqualTo(400);
		assertProblem(replay);
		assertThat(this.peer.tokenRequests()).hasSize(1);
	}

	@Test
	void callbackWhenExpiredThenRefused() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.jdbc.update("update mcp_pending_authorization set expires_at = now() - interval '1 second'"
				+ " where connection_id = ?", connect.id());
		assertRefused(this.mvc.perform(callback(redirect, this.alice)).andReturn(), connect);
	}

	@Test
	void callbackWhenAnotherUsersStateThenRefused() throws Exception {
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		String bob = "bob-" + UUID.randomUUID();
		assertRefused(this.mvc.perform(callback(redirect, bob)).andReturn(), connect);
		assertThat(this.repository.findAll(McpOwner.of(bob))).isEmpty();
	}

	@Test
	void callbackWhenIssMissingAndAdvertisedThenRefused() throws Exception {
		this.peer.issMode = TestOAuthPeer.IssMode.NONE;
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		assertRefused(this.mvc.perform(callback(redirect, this.alice)).andReturn(), connect);
	}

	@Test
	void callbackWhenIssMissingAndNotAdvertisedThenAccepted() throws Exception {
		this.peer.issMode = TestOAuthPeer.IssMode.NONE;
		this.peer.issParameterSupported = false;
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.mvc.perform(callback(redirect, this.alice)).andExpect(status().isOk());
		assertThat(this.peer.tokenRequests()).hasSize(1);
	}

	@Test
	void callbackWhenIssWrongThenRefusedWithoutShowingTheError() throws Exception {
		this.peer.issMode = TestOAuthPeer.IssMode.WRONG;
		this.peer.authorizeError = "access_denied";
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		MvcResult result = this.mvc.perform(callback(redirect, this.alice)).andReturn();
		assertRefused(result, connect);
		assertThat(result.getResponse().getContentAsString()).doesNotContain("access_denied")
			.doesNotContain("sentinel-description")
			.doesNotContain("script");
	}

	@Test
	void callbackWhenIssCorrectAndUserDeclinedThenOutcomeDenied() throws Exception {
		this.peer.authorizeError = "access_denied";
		Connect connect = connect(this.alice);
		URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
		this.mvc.perform(callback(redirect, this.alice))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("denied"))
			.andExpect(jsonPath("$.error").value("access_denied"));
		assertThat(this.peer.tokenRequests()).isEmpty();
	}

	@Test
	void connectWhenResourceMetadataDescribesAnotherServerThenRefusedAndNothingStored() throws Exception {
		this.peer.prmResource = "https://evil.example.com/mcp";
		this.mvc.perform(connectRequest(this.alice, null))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:resource-metadata-mismatch"));
		assertNothingHappened();
	}

	@Test
	void connectWhenMetadataIssuerDiffersThenRefusedAndNothingStored() throws Exception {
		this.peer.metadataIssuer = "https://evil.example.com";
		this.mvc.perform(connectRequest(this.alice, null))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:issuer-mismatch"));
		assertNothingHappened();
	}

	private void assertNothingHappened() {
		assertThat(this.repository.findAll(McpOwner.of(this.alice))).isEmpty();
		assertThat(this.peer.tokenRequests()).isEmpty();
		assertThat(this.peer.requests()).noneMatch((r) -> r.contains("/register") || r.contains("/authorize"));
		assertThat(this.jdbc.queryForObject("select count(*) from mcp_pending_authorization p join mcp_connection c"
				+ " on c.id = p.connection_id where c.owner_id = ?", Integer.class, this.alice)).isZero();
	}

	private void assertRefused(MvcResult result, Connect connect) throws Exception {
		assertThat(result.getResponse().getStatus()).isEqualTo(400);
		assertProblem(result);
		assertThat(this.peer.tokenRequests()).isEmpty();
		assertThat(this.repository.findCredentials(McpOwner.of(this.alice), connect.id())).isEmpty();
		assertThat(this.repository.find(McpOwner.of(this.alice), connect.id()))
			.hasValueSatisfying((c) -> assertThat(c.status()).isEqualTo(ConnectionStatus.AUTHORIZATION_REQUIRED));
	}

	private static void assertProblem(MvcResult result) throws Exception {
		assertThat(result.getResponse().getContentType()).contains("application/problem+json");
		JsonNode problem = json.readTree(result.getResponse().getContentAsString());
		assertThat(problem.get("type").asString()).isEqualTo("urn:mcp-connector:problem:invalid-authorization-callback");
	}

	private Connect connect(String user) throws Exception {
		return connect(user, null);
	}

	private Connect connect(String user, String returnTo) throws Exception {
		MvcResult result = this.mvc.perform(connectRequest(user, returnTo))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
			.andReturn();
		JsonNode body = json.readTree(result.getResponse().getContentAsString());
		return new Connect(UUID.fromString(body.get("id").asString()), URI.create(body.get("authorizationUrl").asString()));
	}

	private MockHttpServletRequestBuilder connectRequest(String user, String returnTo) {
		String body = (returnTo != null)
				? "{\"serverUrl\":\"%s\",\"returnTo\":%s}".formatted(this.peer.mcpUrl(), json.writeValueAsString(returnTo))
				: "{\"serverUrl\":\"%s\"}".formatted(this.peer.mcpUrl());
		return post("/api/mcp/connections").with(user(user))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

	private static MockHttpServletRequestBuilder callback(URI redirect, String user) {
		return get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(user)).accept(MediaType.APPLICATION_JSON);
	}

	private static String query(URI uri, String name) {
		for (String pair : uri.getRawQuery().split("&")) {
			if (pair.startsWith(name + "=")) {
				return pair.substring(name.length() + 1);
			}
		}
		return null;
	}

	private static String flip(String value) {
		char last = value.charAt(value.length() - 1);
		return value.substring(0, value.length() - 1) + ((last == 'A') ? 'B' : 'A');
	}

	record Connect(UUID id, URI authorizationUrl) {
	}

}
