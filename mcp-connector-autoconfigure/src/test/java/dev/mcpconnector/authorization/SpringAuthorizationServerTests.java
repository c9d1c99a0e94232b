package dev.mcpconnector.authorization;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.DpopKey;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.crypto.SecretCipher;
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
import org.springframework.jdbc.core.JdbcTemplate;
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
 * five seconds and refresh tokens that rotate: an expired token is refreshed on the 401 and the
 * rotated refresh token is stored; a revoked grant turns the connection
 * {@code REAUTHORIZATION_REQUIRED}; {@code DELETE} reaches the revocation endpoint. Both sides
 * take DPoP (RFC 9449), so the tokens are bound to the connection's key: the stored token, read
 * from the database and decrypted with the app's own key, is refused as {@code Bearer} and as
 * {@code DPoP} with a proof from any other key.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.authorization.refresh-skew=0s")
@AutoConfigureMockMvc
class SpringAuthorizationServerTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"replay\",\"version\":\"1\"}}}";

	private static DemoServer demo;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startAuthorizationServer() {
		demo = DemoServer.start(DemoServerSettings.builder()
			.port(0)
			.accessTokenTimeToLive(Duration.ofSeconds(5))
			.user("carol", "carol")
			.user("dora", "dora")
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

	@Autowired
	SecretCipher cipher;

	@Autowired
	JdbcTemplate jdbc;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void expiredTokenIsRefreshedAndRotatedRefreshTokenStored() throws Exception {
		String alice = "alice";
		UUID id = connectAndConsent(alice, "alice");
		McpOwner owner = McpOwner.of(alice);
		ConnectionCredentials first = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(first.hasRefreshToken()).isTrue();
		callEcho(alice, id, "before expiry");

		long refreshesBefore = demo.counters().refreshTokenGrants();
		Thread.sleep(5500);
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
		Thread.sleep(5500);

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

	@Test
	void tokensAreBoundToTheConnectionsKeyAndRefreshedCalledAndRevokedWithProofs() throws Exception {
		String dora = "dora";
		UUID id = connectAndConsent(dora, "dora");
		McpOwner owner = McpOwner.of(dora);
		ConnectionCredentials first = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(first.isDpopBound()).isTrue();
		assertThat(first.tokenType()).isEqualTo("DPoP");
		assertThat(confirmation(first.accessToken())).isEqualTo(first.dpopKey().thumbprint());
		callEcho(dora, id, "with a proof");

		long refreshesBefore = demo.counters().refreshTokenGrants();
		Thread.sleep(5500);
		callEcho(dora, id, "after expiry");
		assertThat(demo.counters().refreshTokenGrants() - refreshesBefore).isEqualTo(1);
		ConnectionCredentials second = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
		assertThat(second.isDpopBound()).isTrue();
		// The same key: the refreshed token is bound to it as the first was.
		assertThat(second.dpopKey()).isEqualTo(first.dpopKey());
		assertThat(confirmation(second.accessToken())).isEqualTo(first.dpopKey().thumbprint());

		long revocationsBefore = demo.counters().revocationRequests();
		this.mvc.perform(delete("/api/mcp/connections/" + id).with(user(dora)).with(csrf()))
			.andExpect(status().isNoContent());
		assertThat(demo.counters().revocationRequests() - revocationsBefore).isEqualTo(2);
		assertThat(this.repository.findCredentials(owner, id)).isEmpty();
	}

	@Test
	void storedTokenDecryptedWithTheAppsKeyIsRefusedWithoutAProofOfItsKey() throws Exception {
		String dora = "dora";
		UUID id = connectAndConsent(dora, "dora");
		McpOwner owner = McpOwner.of(dora);
		// What a thief of the database and of the app's encryption key reads from the row.
		byte[] ciphertext = this.jdbc.queryForObject(
				"select access_token from mcp_connection_credentials where connection_id = ?", byte[].class, id);
		String accessToken = new String(this.cipher.decrypt(ciphertext, SecretCipher.associatedData(
				"mcp_connection_credentials.access_token", id.toString(), owner.tenantId(), owner.principal())),
				StandardCharsets.UTF_8);
		assertThat(accessToken).isEqualTo(this.repository.findCredentials(owner, id).orElseThrow().accessToken());
		URI mcp = URI.create(demo.mcpUrl());
		DpopKey own = this.repository.findCredentials(owner, id).orElseThrow().dpopKey();
		// The token with a proof of the connection's own key is accepted before and after the
		// copies below: it is the binding that refuses them, not an expired token (5 s).
		assertThat(initialize(Map.of("Authorization", "DPoP " + accessToken, "DPoP",
				own.proof("POST", mcp, accessToken, null)))).isEqualTo(200);

		assertThat(initialize(Map.of("Authorization", "Bearer " + accessToken))).isEqualTo(401);
		DpopKey other = DpopKey.generate("ES256");
		assertThat(initialize(Map.of("Authorization", "DPoP " + accessToken, "DPoP",
				other.proof("POST", mcp, accessToken, null)))).isEqualTo(401);
		assertThat(initialize(Map.of("Authorization", "DPoP " + accessToken))).isEqualTo(401);

		assertThat(initialize(Map.of("Authorization", "DPoP " + accessToken, "DPoP",
				own.proof("POST", mcp, accessToken, null)))).isEqualTo(200);
		// And the connector itself goes on calling tools with it.
		callEcho(dora, id, "still works for its owner");
	}

	private int initialize(Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(demo.mcpUrl()))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@SuppressWarnings("unchecked")
	private static String confirmation(String accessToken) throws Exception {
		Map<String, Object> cnf = (Map<String, Object>) SignedJWT.parse(accessToken).getJWTClaimsSet().getClaim("cnf");
		return (cnf != null) ? (String) cnf.get("jkt") : null;
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
