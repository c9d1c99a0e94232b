package dev.mcpconnector.ai;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in a host application with its own Spring Security configuration (HTTP Basic,
 * CSRF ignored for the gateway path only), driven by the official TypeScript SDK client from
 * npm. Alice and Bob each connected the same real {@code server-everything} under their own
 * names; each sees and calls only their own tools, and governance applies to gateway calls.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mcp.connector.gateway.enabled=true", "mcp.connector.governance.rules[0].tool=get-sum",
				"mcp.connector.governance.rules[0].action=approve", "mcp.connector.governance.rules[1].tool=get-env",
				"mcp.connector.governance.rules[1].action=deny" })
@Import(McpGatewayTests.HostSecurity.class)
class McpGatewayTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	static final List<AuditEvent> audited = new java.util.concurrent.CopyOnWriteArrayList<>();

	private static NodePeer everything;

	private static int everythingPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		everythingPort = NodePeer.freePort();
		everything = NodePeer.start("gateway-everything-" + everythingPort,
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

	@Autowired
	ApprovalService approvals;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void connect() {
		String url = "http://127.0.0.1:" + everythingPort + "/mcp";
		for (McpOwner owner : List.of(McpOwner.of("alice"), McpOwner.of("bob"))) {
			if (this.connections.list(owner).isEmpty()) {
				String name = owner.principal().equals("alice") ? "Alice Desk" : "Bob Lab";
				this.connections.create(owner, new NewConnection(url, name, null), ConnectionStatus.ACTIVE);
			}
		}
	}

	@Test
	void typeScriptClientAsAliceListsAndCallsOnlyAlicesTools() {
		JsonNode alice = client("alice", "alice-password",
				"[{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"through the gateway\"}},"
						+ "{\"name\":\"Alice_Desk__get-sum\",\"arguments\":{\"a\":20,\"b\":22}},"
						+ "{\"name\":\"Bob_Lab__echo\",\"arguments\":{\"message\":\"not mine\"}}]");

		assertThat(alice.has("error")).as("client error %s", alice).isFalse();
		assertThat(alice.get("server").get("name").asString()).isEqualTo("mcp-connector-gateway");
		List<String> names = names(alice);
		assertThat(names).contains("Alice_Desk__echo", "Alice_Desk__get-sum")
			.doesNotContain("Alice_Desk__get-env")
			.noneMatch((name) -> name.startsWith("Bob_Lab"));
		JsonNode echoTool = tool(alice, "Alice_Desk__echo");
		assertThat(echoTool.get("description").asString()).startsWith("[Alice Desk] ");
		assertThat(echoTool.get("inputSchema").get("properties").has("message")).isTrue();

		JsonNode calls = alice.get("calls");
		assertThat(calls.get(0).get("result").get("content").get(0).get("text").asString())
			.isEqualTo("Echo: through the gateway");
		JsonNode pending = calls.get(1).get("result");
		assertThat(pending.get("isError").asBoolean()).isTrue();
		JsonNode pendingMessage = JsonMapper.shared().readTree(pending.get("content").get(0).get("text").asString());
		assertThat(pendingMessage.get("error").asString()).isEqualTo("approval-pending");
		assertThat(this.approvals.pending(McpOwner.of("alice"), false))
			.anySatisfy((approval) -> assertThat(approval.id().toString())
				.isEqualTo(pendingMessage.get("approvalId").asString()));
		assertThat(calls.get(2).get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(calls.get(2).get("error").get("message").asString()).contains("Unknown tool: Bob_Lab__echo");

		assertThat(audited).anySatisfy((event) -> {
			assertThat(event.owner()).isEqualTo(McpOwner.of("alice"));
			assertThat(event.tool()).isEqualTo("echo");
			assertThat(event.outcome()).isEqualTo("ok");
		});
	}

	@Test
	void typeScriptClientAsBobSeesOnlyBobsTools() {
		JsonNode bob = client("bob", "bob-password",
				"[{\"name\":\"Bob_Lab__echo\",\"arguments\":{\"message\":\"bob here\"}},"
						+ "{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"x\"}}]");

		assertThat(bob.has("error")).as("client error %s", bob).isFalse();
		assertThat(names(bob)).contains("Bob_Lab__echo").noneMatch((name) -> name.startsWith("Alice_Desk"));
		assertThat(bob.get("calls").get(0).get("result").get("content").get(0).get("text").asString())
			.isEqualTo("Echo: bob here");
		assertThat(bob.get("calls").get(1).get("error").get("message").asString())
			.contains("Unknown tool: Alice_Desk__echo");
	}

	@Test
	void typeScriptClientWithoutOrWithWrongCredentialsGets401() throws Exception {
		JsonNode anonymous = client(null, null, "[]");
		assertThat(anonymous.get("error").get("code").asInt()).as("%s", anonymous).isEqualTo(401);
		assertThat(anonymous.has("tools")).isFalse();
		JsonNode wrong = client("alice", "bob-password", "[]");
		assertThat(wrong.get("error").get("code").asInt()).as("%s", wrong).isEqualTo(401);

		HttpResponse<String> raw = this.http.send(initialize(null).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(raw.statusCode()).isEqualTo(401);
	}

	@Test
	void sessionOfOneUserIsNotFoundForAnother() throws Exception {
		HttpResponse<String> opened = this.http.send(initialize(basic("alice", "alice-password")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(opened.statusCode()).isEqualTo(200);
		String sessionId = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();

		HttpResponse<String> asBob = this.http.send(toolsList(sessionId, basic("bob", "bob-password")),
				HttpResponse.BodyHandlers.ofString());
		assertThat(asBob.statusCode()).isEqualTo(404);
		assertThat(asBob.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(asBob.body()).contains("urn:mcp-connector:problem:session-not-found").doesNotContain("Alice");

		HttpResponse<String> asAlice = this.http.send(toolsList(sessionId, basic("alice", "alice-password")),
				HttpResponse.BodyHandlers.ofString());
		assertThat(asAlice.statusCode()).isEqualTo(200);
		assertThat(asAlice.body()).contains("Alice_Desk__echo").doesNotContain("Bob_Lab");
	}

	@Test
	void typeScriptClientListsAndReadsResourcesTemplatesAndPromptsUnderQualifiedNames() {
		String desk = "mcp-connector://Alice_Desk/";
		JsonNode alice = client("alice", "alice-password", "[{\"list\":\"resources\"},"
				+ "{\"list\":\"resourceTemplates\"},{\"list\":\"prompts\"},"
				+ "{\"read\":\"" + desk + "demo://resource/static/document/architecture.md\"},"
				+ "{\"read\":\"" + desk + "demo://resource/dynamic/text/7\"},"
				+ "{\"prompt\":\"Alice_Desk__simple-prompt\"},"
				+ "{\"prompt\":\"Alice_Desk__args-prompt\",\"arguments\":{\"city\":\"Lisbon\"}},"
				+ "{\"read\":\"mcp-connector://Bob_Lab/demo://resource/dynamic/text/7\"},"
				+ "{\"prompt\":\"Bob_Lab__simple-prompt\"}]");

		assertThat(alice.has("error")).as("client error %s", alice).isFalse();
		JsonNode calls = alice.get("calls");
		assertThat(values(calls.get(0).at("/result/resources"), "uri"))
			.contains(desk + "demo://resource/static/document/architecture.md")
			.allMatch((uri) -> uri.startsWith(desk));
		assertThat(values(calls.get(0).at("/result/resources"), "name")).allMatch((n) -> n.startsWith("Alice_Desk__"));
		assertThat(values(calls.get(1).at("/result/resourceTemplates"), "uriTemplate"))
			.contains(desk + "demo://resource/dynamic/text/{resourceId}");
		assertThat(values(calls.get(2).at("/result/prompts"), "name"))
			.contains("Alice_Desk__simple-prompt", "Alice_Desk__args-prompt")
			.noneMatch((n) -> n.startsWith("Bob_Lab"));
		assertThat(calls.get(3).at("/result/contents/0/uri").asString())
			.isEqualTo(desk + "demo://resource/static/document/architecture.md");
		assertThat(calls.get(3).at("/result/contents/0/text").asString()).contains("Architecture");
		assertThat(calls.get(4).at("/result/contents/0/text").asString()).startsWith("Resource 7: ");
		assertThat(calls.get(5).at("/result/messages/0/content/text").asString())
			.isEqualTo("This is a simple prompt without arguments.");
		assertThat(calls.get(6).at("/result/messages/0/content/text").asString())
			.isEqualTo("What's weather in Lisbon?");
		assertThat(calls.get(7).at("/error/code").asInt()).isEqualTo(-32002);
		assertThat(calls.get(8).at("/error/code").asInt()).isEqualTo(-32602);
	}

	@Test
	void connectionEndpointServesThatConnectionUnderTheServersOwnNames() throws Exception {
		JsonNode alice = client("alice", "alice-password", gatewayUrl().replace("/gateway/mcp", "/gateway/Alice_Desk/mcp"),
				"[{\"name\":\"echo\",\"arguments\":{\"message\":\"one server\"}},"
						+ "{\"read\":\"demo://resource/dynamic/text/3\"},{\"prompt\":\"simple-prompt\"},"
						+ "{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"x\"}}]");

		assertThat(alice.has("error")).as("client error %s", alice).isFalse();
		assertThat(names(alice)).contains("echo", "get-sum").doesNotContain("get-env").noneMatch((n) -> n.contains("__"));
		JsonNode calls = alice.get("calls");
		assertThat(calls.get(0).at("/result/content/0/text").asString()).isEqualTo("Echo: one server");
		assertThat(calls.get(1).at("/result/contents/0/uri").asString()).isEqualTo("demo://resource/dynamic/text/3");
		assertThat(calls.get(2).at("/result/messages/0/content/text").asString())
			.isEqualTo("This is a simple prompt without arguments.");
		assertThat(calls.get(3).at("/error/code").asInt()).isEqualTo(-32602);

		// Another user's connection is no connection of the caller's.
		HttpResponse<String> asBob = this.http.send(HttpRequest
			.newBuilder(URI.create(gatewayUrl().replace("/gateway/mcp", "/gateway/Alice_Desk/mcp")))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Authorization", basic("bob", "bob-password"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asBob.statusCode()).isEqualTo(404);
		assertThat(asBob.body()).contains("connection-not-found").doesNotContain("echo");
	}

	@Test
	void browserRequestFromAnotherOriginIsRefused() throws Exception {
		HttpResponse<String> response = this.http.send(
				initialize(basic("alice", "alice-password")).header("Origin", "https://evil.example").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
	}

	private JsonNode client(String user, String password, String calls) {
		return client(user, password, gatewayUrl(), calls);
	}

	private JsonNode client(String user, String password, String url, String calls) {
		List<String> args = new ArrayList<>(List.of("gateway-client.mjs", url));
		if (user != null) {
			args.add(user);
			args.add(password);
		}
		else {
			args.add("");
			args.add("");
		}
		args.add(calls);
		String output = NodePeer.run("gateway-client-" + user, args, Duration.ofSeconds(60));
		return JsonMapper.shared().readTree(output.strip());
	}

	private String gatewayUrl() {
		return "http://127.0.0.1:" + this.port + "/api/mcp/gateway/mcp";
	}

	private HttpRequest.Builder initialize(String authorization) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gatewayUrl()))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
					+ "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
					+ "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"));
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return builder;
	}

	private HttpRequest toolsList(String sessionId, String authorization) {
		return HttpRequest.newBuilder(URI.create(gatewayUrl()))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", sessionId)
			.header("MCP-Protocol-Version", "2025-06-18")
			.header("Authorization", authorization)
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"))
			.build();
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	static List<String> names(JsonNode result) {
		List<String> names = new ArrayList<>();
		result.get("tools").forEach((tool) -> names.add(tool.get("name").asString()));
		return names;
	}

	private static List<String> values(JsonNode array, String field) {
		List<String> values = new ArrayList<>();
		array.forEach((item) -> values.add(item.get(field).asString()));
		assertThat(values).as("%s of %s", field, array).isNotEmpty();
		return values;
	}

	private static JsonNode tool(JsonNode result, String name) {
		for (JsonNode tool : result.get("tools")) {
			if (tool.get("name").asString().equals(name)) {
				return tool;
			}
		}
		throw new AssertionError("no tool " + name + " in " + result);
	}

	/**
	 * The host application's own security, as the README tells a host to configure it: every
	 * request authenticated, HTTP Basic for non-browser clients, CSRF protection left on except
	 * for the gateway, which is called with credentials in a header rather than a cookie.
	 */
	@Configuration(proxyBeanMethods = false)
	static class HostSecurity {

		@Bean
		SecurityFilterChain hostSecurity(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/mcp/gateway/**"));
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager hostUsers() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}alice-password").roles("USER").build(),
					User.withUsername("bob").password("{noop}bob-password").roles("USER").build());
		}

		@Bean
		AuditLog capturingAuditLog() {
			return audited::add;
		}

	}

}
