package dev.mcpconnector.ai;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpconnector.ai.McpGatewayTests.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway tokens end to end: created through the REST API with the host's own authentication,
 * presented by the official TypeScript SDK client as {@code Authorization: Bearer}, limited to
 * connections and tools, revoked, and refused everywhere but on the gateway.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "mcp.connector.gateway.enabled=true")
@Import(McpGatewayTests.HostSecurity.class)
class McpGatewayTokensTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static NodePeer everything;

	private static int everythingPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		everythingPort = NodePeer.freePort();
		everything = NodePeer.start("tokens-everything-" + everythingPort,
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(everythingPort)), everythingPort);
	}

	@AfterAll
	static void stopServer() {
		everything.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	McpConnectionService connections;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void connect() {
		String url = "http://127.0.0.1:" + everythingPort + "/mcp";
		Map<String, List<String>> names = Map.of("alice", List.of("Alice Desk", "Alice Lab"), "bob", List.of("Bob Lab"));
		names.forEach((user, wanted) -> {
			McpOwner owner = McpOwner.of(user);
			if (this.connections.list(owner).isEmpty()) {
				wanted.forEach((name) -> this.connections.create(owner, new NewConnection(url, name, null),
						ConnectionStatus.ACTIVE));
			}
		});
	}

	@Test
	void tokenCreatedThroughRestListsAndCallsUntilDeletedThen401() throws Exception {
		JsonNode created = create("alice", "{\"name\":\"OpenAI\",\"expiresAt\":\"" + inDays(30) + "\"}");
		String secret = created.get("secret").asString();
		String id = created.at("/token/id").asString();
		assertThat(secret).startsWith("mcpgw_").hasSizeGreaterThan(40);

		JsonNode listed = JsonMapper.shared().readTree(rest("GET", "/gateway/tokens", basic("alice"), null).body());
		assertThat(listed.toString()).contains(id, "OpenAI", "createdAt", "expiresAt").doesNotContain(secret);
		assertThat(listed.get(0).get("lastUsedAt").isNull()).isTrue();

		JsonNode client = client(secret, gatewayUrl(),
				"[{\"name\":\"Alice_Lab__echo\",\"arguments\":{\"message\":\"with a token\"}}]");
		assertThat(client.has("error")).as("client error %s", client).isFalse();
		assertThat(names(client)).contains("Alice_Desk__echo", "Alice_Lab__echo").noneMatch((n) -> n.startsWith("Bob"));
		assertThat(client.at("/calls/0/result/content/0/text").asString()).isEqualTo("Echo: with a token");
		JsonNode used = JsonMapper.shared().readTree(rest("GET", "/gateway/tokens", basic("alice"), null).body());
		assertThat(used.get(0).get("lastUsedAt").isNull()).isFalse();
		assertThat(McpGatewayTests.audited).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo(AuditEvent.Type.GATEWAY_TOKEN);
			assertThat(event.owner()).isEqualTo(McpOwner.of("alice"));
			assertThat(event.outcome()).isEqualTo("used");
			assertThat(event.detail()).isEqualTo("token " + id);
		});
		assertThat(McpGatewayTests.audited).noneMatch((event) -> event.toString().contains(secret));

		assertThat(rest("DELETE", "/gateway/tokens/" + id, basic("alice"), null).statusCode()).isEqualTo(204);
		JsonNode revoked = client(secret, gatewayUrl(), "[]");
		assertThat(revoked.at("/error/code").asInt()).as("%s", revoked).isEqualTo(401);
		HttpResponse<String> raw = rest("POST", "/gateway/mcp", "Bearer " + secret, "{}");
		assertThat(raw.statusCode()).isEqualTo(401);
		assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
		assertThat(raw.body()).doesNotContain(secret);
	}

	@Test
	void tokenLimitedToOneConnectionOrToToolGlobsSeesOnlyThose() {
		String lab = create("alice", "{\"name\":\"lab only\",\"expiresAt\":\"" + inDays(1)
				+ "\",\"connections\":[\"Alice Lab\"]}").get("secret").asString();
		JsonNode labOnly = client(lab, gatewayUrl(),
				"[{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"x\"}},{\"list\":\"prompts\"}]");
		assertThat(labOnly.has("error")).as("client error %s", labOnly).isFalse();
		assertThat(names(labOnly)).contains("Alice_Lab__echo").allMatch((n) -> n.startsWith("Alice_Lab__"));
		assertThat(labOnly.at("/calls/0/error/message").asString()).contains("Unknown tool: Alice_Desk__echo");
		assertThat(labOnly.at("/calls/1/result/prompts").toString()).contains("Alice_Lab__").doesNotContain("Alice_Desk");
		JsonNode otherEndpoint = client(lab, gatewayUrl().replace("/gateway/mcp", "/gateway/Alice_Desk/mcp"), "[]");
		assertThat(otherEndpoint.at("/error/code").asInt()).as("%s", otherEndpoint).isEqualTo(404);

		String echoes = create("alice", "{\"name\":\"echo only\",\"expiresAt\":\"" + inDays(1)
				+ "\",\"toolGlobs\":[\"echo\"]}").get("secret").asString();
		assertThat(names(client(echoes, gatewayUrl(), "[]"))).containsExactlyInAnyOrder("Alice_Desk__echo",
				"Alice_Lab__echo");
	}

	@Test
	void tokenIsRefusedOnTheRestApiAndCannotMintTokens() throws Exception {
		String secret = create("alice", "{\"name\":\"rest\",\"expiresAt\":\"" + inDays(1) + "\"}").get("secret")
			.asString();
		assertThat(rest("GET", "/connections", "Bearer " + secret, null).statusCode()).isEqualTo(401);
		assertThat(rest("GET", "/gateway/tokens", "Bearer " + secret, null).statusCode()).isEqualTo(401);
		assertThat(rest("POST", "/gateway/tokens", "Bearer " + secret,
				"{\"name\":\"more\",\"expiresAt\":\"" + inDays(1) + "\"}").statusCode()).isEqualTo(401);
		assertThat(rest("GET", "/connections", basic("alice"), null).statusCode()).isEqualTo(200);
	}

	@Test
	void anotherUsersTokenIdIsMissingAndTheirTokenReachesNoneOfAlicesConnections() throws Exception {
		JsonNode alices = create("alice", "{\"name\":\"mine\",\"expiresAt\":\"" + inDays(1) + "\"}");
		String id = alices.at("/token/id").asString();
		String bobs = create("bob", "{\"name\":\"bob's\",\"expiresAt\":\"" + inDays(1) + "\"}").get("secret").asString();

		HttpResponse<String> foreign = rest("DELETE", "/gateway/tokens/" + id, basic("bob"), null);
		HttpResponse<String> missing = rest("DELETE", "/gateway/tokens/" + java.util.UUID.randomUUID(), basic("bob"),
				null);
		assertThat(foreign.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
		assertThat(withoutInstance(foreign.body())).isEqualTo(withoutInstance(missing.body()))
			.contains("gateway-token-not-found");
		assertThat(rest("GET", "/gateway/tokens", basic("bob"), null).body()).doesNotContain(id);

		JsonNode asBob = client(bobs, gatewayUrl(), "[{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"x\"}}]");
		assertThat(names(asBob)).isNotEmpty().allMatch((n) -> n.startsWith("Bob_Lab__"));
		assertThat(asBob.at("/calls/0/error/message").asString()).contains("Unknown tool");
		JsonNode bobOnAlice = client(bobs, gatewayUrl().replace("/gateway/mcp", "/gateway/Alice_Desk/mcp"), "[]");
		assertThat(bobOnAlice.at("/error/code").asInt()).as("%s", bobOnAlice).isEqualTo(404);

		// Alice's token still works after Bob's attempts.
		assertThat(client(alices.get("secret").asString(), gatewayUrl(), "[]").has("error")).isFalse();
	}

	private JsonNode create(String user, String body) {
		try {
			HttpResponse<String> response = rest("POST", "/gateway/tokens", basic(user), body);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
			return JsonMapper.shared().readTree(response.body());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> rest(String method, String path, String authorization, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/mcp" + path))
			.header("Authorization", authorization)
			.header("Accept", "application/json, text/event-stream")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode client(String token, String url, String calls) {
		String output = NodePeer.run("gateway-client-token", List.of("gateway-client.mjs", url, "bearer", token, calls),
				Duration.ofSeconds(60));
		return JsonMapper.shared().readTree(output.strip());
	}

	private String gatewayUrl() {
		return "http://127.0.0.1:" + this.port + "/api/mcp/gateway/mcp";
	}

	private static String inDays(int days) {
		return Instant.now().plus(Duration.ofDays(days)).toString();
	}

	private static String basic(String user) {
		return McpGatewayTests.basic(user, user + "-password");
	}

	private static String withoutInstance(String body) {
		return body.replaceAll("\"instance\":\"[^\"]*\"", "");
	}

}
