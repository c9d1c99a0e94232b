package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Against Spring Authorization Server guarding an MCP SDK server, with access tokens that live
 * two seconds and refresh tokens that rotate: an expired token is refreshed on the 401 and the
 * rotated refresh token is stored; a revoked grant turns the connection
 * {@code REAUTHORIZATION_REQUIRED}; {@code DELETE} reaches the revocation endpoint.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.authorization.refresh-skew=0s")
@AutoConfigureMockMvc
class SpringAuthorizationServerTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static DemoServer demo;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startAuthorizationServer() {
		demo = DemoServer.start(DemoServerSettings.builder()
			.port(0)
			.accessTokenTimeToLive(Duration.ofSeconds(2))
			.user("carol", "carol")
			.build());
	}

	@AfterAll
	static void stopAuthorizationServer() {
		demo.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Test
	void expiredTokenIsRefreshedAndRotatedRefreshTokenStored() throws Exception {
		String alice = "alice";
		UUID id = connectAndConsent(alice, "alice");
		McpOwner owner = McpOwner.of(alice);
		ConnectionCredentials first = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(first.hasRefreshToken()).isTrue();
		callEcho(alice, id, "before expiry");

		long refreshesBefore = demo.counters().refreshTokenGrants();
		Thread.sleep(2500);
		callEcho(alice, id, "after expiry");

		assertThat(demo.counters().refreshTokenGrants() - refreshesBefore).isEqualTo(1);
		ConnectionCredentials second = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
		assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
		assertThat(second.expiresAt()).isAfter(first.expiresAt());

		// A manual refresh through the API rotates again.
		long manualBefore = demo.counters().refreshTokenGrants();
		this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(alice)).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.expiresAt").exists());
		assertThat(demo.counters().refreshTokenGrants() - manualBefore).isEqualTo(1);
		assertThat(this.repository.findCredentials(owner, id).orElseThrow().refreshToken())
			.isNotEqualTo(second.refreshToken());
		callEcho(alice, id, "after a manual refresh");
	}

	@Test
	void revokedRefreshTokenLeadsToReauthorizationRequired() throws Exception {
		String carol = "carol";
		UUID id = connectAndConsent(carol, "carol");
		callEcho(carol, id, "works");
		assertThat(demo.revokeAllTokensOf(carol)).isPositive();
		Thread.sleep(2500);

		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(carol))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"after revoke\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:authorization-required"))
			.andExpect(jsonPath("$.connectionId").value(id.toString()));
		assertThat(this.repository.find(McpOwner.of(carol), id))
			.hasValueSatisfying((c) -> assertThat(c.status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED));

		// A fresh authorization brings it back.
		JsonNode again = JsonMapper.shared()
			.readTree(this.mvc.perform(post("/api/mcp/connections/" + id + "/authorize").with(user(carol)).with(csrf()))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
		consent(carol, "carol", URI.create(again.get("authorizationUrl").asString()));
		callEcho(carol, id, "re-authorized");
	}

	@Test
	void deleteRevokesTokensAtTheAuthorizationServer() throws Exception {
		String bob = "bob";
		UUID id = connectAndConsent(bob, "bob");
		long revocationsBefore = demo.counters().revocationRequests();
		this.mvc.perform(delete("/api/mcp/connections/" + id).with(user(bob)).with(csrf()))
			.andExpect(status().isNoContent());
		assertThat(demo.counters().revocationRequests() - revocationsBefore).isEqualTo(2);
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(bob))).andExpect(status().isNotFound());
	}

	private UUID connectAndConsent(String user, String password) throws Exception {
		JsonNode connect = JsonMapper.shared()
			.readTree(this.mvc
				.perform(post("/api/mcp/connections").with(user(user))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"serverUrl\":\"" + demo.mcpUrl() + "\",\"name\":\"Demo\"}"))
				.andExpect(status().isCreated())
				.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
				.andReturn()
				.getResponse()
				.getContentAsString());
		consent(user, password, URI.create(connect.get("authorizationUrl").asString()));
		return UUID.fromString(connect.get("id").asString());
	}

	private void consent(String user, String password, URI authorizationUrl) throws Exception {
		URI redirect = new DemoBrowser(user, password).authorize(authorizationUrl);
		this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(user))
			.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"));
	}

	private void callEcho(String user, UUID id, String message) throws Exception {
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(user))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(JsonMapper.shared().writeValueAsString(Map.of("message", message))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value(org.hamcrest.Matchers.containsString(message)));
	}

}
