package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Remote identity against Spring Authorization Server with OpenID Connect: the connector asks for
 * {@code openid profile email} with a nonce, checks the ID token through the server's JWK set and
 * shows the account in REST; a refresh that brings a new ID token keeps it; a server without
 * OpenID Connect is asked for no ID token and shows none.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.authorization.refresh-skew=0s")
@AutoConfigureMockMvc
class OidcIdentityTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static DemoServer oidc;

	private static DemoServer plain;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startAuthorizationServers() {
		oidc = DemoServer.start(DemoServerSettings.builder().port(0).accessTokenTimeToLive(Duration.ofSeconds(2)).build());
		plain = DemoServer.start(DemoServerSettings.builder().port(0).oidc(false).build());
	}

	@AfterAll
	static void stopAuthorizationServers() {
		oidc.close();
		plain.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void connectWhenServerIsOpenIdProviderThenConnectionShowsTheRemoteAccount() throws Exception {
		Connect connect = connect("alice", oidc);
		String query = connect.authorizationUrl().getRawQuery();
		assertThat(scopeOf(connect.authorizationUrl())).contains("openid", "profile", "email", "mcp:tools");
		String nonce = parameter(connect.authorizationUrl(), "nonce");
		assertThat(nonce).hasSizeGreaterThanOrEqualTo(43);
		// Only the nonce's hash is stored with the pending authorization.
		assertThat(this.jdbc.queryForList("select nonce_hash from mcp_pending_authorization where connection_id = ?",
				String.class, connect.id()))
			.containsExactly(AuthorizationRequestResolver.sha256(nonce));
		assertThat(this.jdbc.queryForObject("select count(*) from mcp_pending_authorization p where"
				+ " position(? in p::text) > 0", Integer.class, nonce)).isZero();
		assertThat(query).contains("state=");

		consent("alice", "alice", connect.authorizationUrl());

		this.mvc.perform(get("/api/mcp/connections").with(user("alice")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].id").value(connect.id().toString()))
			.andExpect(jsonPath("$[0].remoteAccount.subject").value("alice"))
			.andExpect(jsonPath("$[0].remoteAccount.name").value("Alice Anderson"))
			.andExpect(jsonPath("$[0].remoteAccount.username").value("alice"))
			.andExpect(jsonPath("$[0].remoteAccount.email").value("alice@example.com"));
		// Stored encrypted: the row holds no claim in the clear.
		byte[] stored = this.jdbc.queryForObject("select remote_account from mcp_connection where id = ?", byte[].class,
				connect.id());
		assertThat(stored).isNotNull();
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("alice@example.com")
			.doesNotContain("Alice Anderson");
	}

	@Test
	void refreshWhenNewIdTokenNamesTheSameSubjectThenAccountKept() throws Exception {
		Connect connect = connect("bob", oidc);
		consent("bob", "bob", connect.authorizationUrl());
		long refreshes = oidc.counters().refreshTokenGrants();

		this.mvc.perform(post("/api/mcp/connections/" + connect.id() + "/refresh").with(user("bob")).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"));

		assertThat(oidc.counters().refreshTokenGrants() - refreshes).isEqualTo(1);
		this.mvc.perform(get("/api/mcp/connections/" + connect.id()).with(user("bob")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.remoteAccount.subject").value("bob"))
			.andExpect(jsonPath("$.remoteAccount.name").value("Bob Brown"));
	}

	@Test
	void connectWhenServerIsNoOpenIdProviderThenNoIdTokenAskedForAndNoAccountShown() throws Exception {
		String carol = "carol-" + UUID.randomUUID();
		Connect connect = connect(carol, plain);
		assertThat(scopeOf(connect.authorizationUrl())).doesNotContain("openid");
		assertThat(parameter(connect.authorizationUrl(), "nonce")).isNull();

		consent(carol, "alice", connect.authorizationUrl());

		this.mvc.perform(get("/api/mcp/connections/" + connect.id()).with(user(carol)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.remoteAccount").isEmpty());
		assertThat(this.repository.find(McpOwner.of(carol), connect.id()).orElseThrow().remoteAccount()).isNull();
	}

	private Connect connect(String user, DemoServer server) throws Exception {
		JsonNode body = JsonMapper.shared()
			.readTree(this.mvc
				.perform(post("/api/mcp/connections").with(user(user))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"serverUrl\":\"" + server.mcpUrl() + "\",\"name\":\"Demo\"}"))
				.andExpect(status().isCreated())
				.andReturn()
				.getResponse()
				.getContentAsString());
		return new Connect(UUID.fromString(body.get("id").asString()),
				URI.create(body.get("authorizationUrl").asString()));
	}

	/** Consent in the demo server's login as {@code remoteUser}, then the callback as {@code user}. */
	private void consent(String user, String remoteUser, URI authorizationUrl) throws Exception {
		URI redirect = new DemoBrowser(remoteUser, remoteUser).authorize(authorizationUrl);
		this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(user))
			.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"));
	}

	private static List<String> scopeOf(URI url) {
		String scope = parameter(url, "scope");
		return (scope != null) ? List.of(scope.split(" ")) : List.of();
	}

	private static String parameter(URI url, String name) {
		for (String pair : url.getRawQuery().split("&")) {
			if (pair.startsWith(name + "=")) {
				return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	record Connect(UUID id, URI authorizationUrl) {
	}

}
