package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Through the REST API against the official TypeScript SDK's OAuth-protected example server
 * ({@code @modelcontextprotocol/sdk} 1.32.2, {@code simpleStreamableHttp.js --oauth
 * --oauth-strict}: dynamic registration, PKCE, and a strict RFC 8707 resource check): connect,
 * authorization URL, callback, ACTIVE, then its tools are listed and one is called.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class TypeScriptSdkServerTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static NodePeer server;

	private static int mcpPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		mcpPort = NodePeer.freePort();
		int authPort = NodePeer.freePort();
		server = NodePeer.start("ts-sdk-oauth-server",
				List.of("node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js", "--oauth",
						"--oauth-strict"),
				Map.of("MCP_PORT", String.valueOf(mcpPort), "MCP_AUTH_PORT", String.valueOf(authPort)), mcpPort,
				authPort);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Autowired
	MockMvc mvc;

	@Test
	void connectAuthorizeAndUseToolsThroughRest() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String serverUrl = "http://localhost:" + mcpPort + "/mcp";
		JsonNode connect = JsonMapper.shared()
			.readTree(this.mvc
				.perform(post("/api/mcp/connections").with(user(alice))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"serverUrl\":\"" + serverUrl + "\",\"name\":\"TS example\"}"))
				.andExpect(status().isCreated())
				.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
				.andReturn()
				.getResponse()
				.getContentAsString());
		String id = connect.get("id").asString();
		URI authorizationUrl = URI.create(connect.get("authorizationUrl").asString());
		assertThat(authorizationUrl.getRawQuery()).contains("code_challenge_method=S256").contains("resource=");

		// The example server consents at once and redirects the browser to our callback.
		URI redirect = TestOAuthPeer.authorizeRedirect(authorizationUrl);
		assertThat(redirect.getPath()).isEqualTo("/api/mcp/oauth/callback");
		this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(alice))
			.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"))
			.andExpect(jsonPath("$.connection.status").value("ACTIVE"));

		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(alice)))
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.issuer").value(org.hamcrest.Matchers.startsWith("http://localhost:")));
		this.mvc.perform(get("/api/mcp/connections/" + id + "/tools").with(user(alice)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItems("greet", "multi-greet")));
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/greet").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Alice\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value(org.hamcrest.Matchers.containsString("Alice")));
	}

}
