package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The HTTP+SSE transport of MCP 2024-11-05 against the TypeScript SDK's own legacy example
 * server ({@code simpleSseServer.js} from {@code @modelcontextprotocol/sdk}, on loopback): it
 * answers the Streamable HTTP {@code initialize} POST with 404 and opens an event stream on GET.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class LegacySseTransportTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static NodePeer legacy;

	private static int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		port = NodePeer.freePort();
		// The example listens on port 3000 in its code; the loopback preload moves it.
		legacy = NodePeer.start("simple-sse-server-" + port,
				List.of("node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleSseServer.js"),
				Map.of("LOOPBACK_PORT_MAP", "3000:" + port), port);
	}

	@AfterAll
	static void stopServer() {
		legacy.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpConnectionService connections;

	@Autowired
	dev.mcpconnector.authorization.McpAuthorizationService authorization;

	private final McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());

	@Test
	void connectWhenServerSpeaksOnlyHttpSseThenSseChosenRememberedAndToolsCalled() throws Exception {
		String body = this.mvc
			.perform(post("/api/mcp/connections").with(user(this.alice.principal()))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"http://127.0.0.1:" + port + "/mcp\",\"name\":\"Legacy\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		UUID id = UUID.fromString(JsonMapper.shared().readTree(body).get("id").asString());
		assertThat(this.connections.get(this.alice, id).transport()).isEqualTo(McpTransport.SSE);
		this.mvc.perform(get("/api/mcp/connections").with(user(this.alice.principal())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].transport").value("SSE"));

		assertThat(this.executor.listTools(this.alice, id)).extracting(McpSchema.Tool::name)
			.contains("start-notification-stream");
		McpSchema.CallToolResult result = this.executor.callTool(this.alice, id, "start-notification-stream",
				Map.of("interval", 10, "count", 2));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text())
			.isEqualTo("Completed sending 2 notifications every 10ms");
		this.mvc.perform(get("/api/mcp/connections/" + id + "/tools").with(user(this.alice.principal())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItem("start-notification-stream")));
	}

	@Test
	void callWhenStoredAsStreamableButServerSpeaksOnlySseThenFallsBackAndRemembers() {
		// A connection made while the server answered differently (say, 401 to everything
		// before authorization) is stored as Streamable HTTP; the first session finds out.
		McpConnection connection = this.connections.create(this.alice,
				new dev.mcpconnector.connection.NewConnection("http://127.0.0.1:" + port + "/mcp", "Legacy later",
						java.util.Set.of()),
				dev.mcpconnector.connection.ConnectionStatus.ACTIVE);
		assertThat(connection.transport()).isEqualTo(McpTransport.STREAMABLE_HTTP);

		assertThat(this.executor.listTools(this.alice, connection.id())).extracting(McpSchema.Tool::name)
			.contains("start-notification-stream");
		assertThat(this.connections.get(this.alice, connection.id()).transport()).isEqualTo(McpTransport.SSE);
	}

	@Test
	void sseServerBehindOAuthThenFoundAfterAuthorizationAndRefreshedOn401() {
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			peer.legacySse = true;
			// Before authorization every request is 401, so the connect probe cannot tell the
			// transport; the first session finds out.
			UUID id = peer.connectAndConsent(this.authorization, this.alice);
			assertThat(this.connections.get(this.alice, id).transport()).isEqualTo(McpTransport.STREAMABLE_HTTP);

			assertThat(this.executor.listTools(this.alice, id)).extracting(McpSchema.Tool::name).containsExactly("echo");
			assertThat(this.connections.get(this.alice, id).transport()).isEqualTo(McpTransport.SSE);
			assertThat(text(this.executor.callTool(this.alice, id, "echo", Map.of("message", "one")))).isEqualTo("echoed");

			// The server stops accepting the access token: the next message is refused with 401,
			// the grant is refreshed once, a new SSE session opens, and the call succeeds.
			peer.acceptTokensFrom = peer.tokenRequests().size() + 1;
			assertThat(text(this.executor.callTool(this.alice, id, "echo", Map.of("message", "two")))).isEqualTo("echoed");
			assertThat(peer.tokenRequests()).extracting((request) -> request.get("grant_type"))
				.containsExactly("authorization_code", "refresh_token");

			// Refused again even with a fresh token: the connection needs the user, and says so.
			peer.acceptTokensFrom = Integer.MAX_VALUE;
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(dev.mcpconnector.authorization.AuthorizationRequiredException.class)
				.isThrownBy(() -> this.executor.callTool(this.alice, id, "echo", Map.of("message", "three")));
			assertThat(this.connections.get(this.alice, id).status())
				.isEqualTo(dev.mcpconnector.connection.ConnectionStatus.REAUTHORIZATION_REQUIRED);
		}
	}

	private static String text(McpSchema.CallToolResult result) {
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
