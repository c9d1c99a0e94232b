package dev.mcpconnector.sample;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample starts as its README says (demo profile, its own embedded PostgreSQL, the demo MCP
 * server on a free port) and serves the connector's REST API to its users over HTTP Basic; a
 * script that forgets the CSRF token is told so; Actuator shows the connector's health to anyone
 * and metrics and key rotation to the admin only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo-server.port=0")
@ActiveProfiles("demo")
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	McpConnectionService connections;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DemoServer demoServer;

	@Test
	void startsOnEmbeddedPostgresqlAndServesEachUserOnlyTheirConnections() {
		assertThat(this.jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
		McpConnection alices = this.connections.create(McpOwner.of("alice"),
				NewConnection.of("https://mcp.example.com/mcp"), ConnectionStatus.AUTHORIZATION_REQUIRED);

		RestClient alice = client("alice");
		String aliceList = alice.get().uri("/api/mcp/connections").retrieve().body(String.class);
		assertThat(aliceList).contains(alices.id().toString());

		RestClient bob = client("bob");
		String bobList = bob.get().uri("/api/mcp/connections").retrieve().body(String.class);
		assertThat(bobList).isEqualTo("[]");
		HttpStatusCode status = bob.get()
			.uri("/api/mcp/connections/" + alices.id())
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status.value()).isEqualTo(404);
		this.connections.delete(McpOwner.of("alice"), alices.id());
	}

	@Test
	void startsTheDemoMcpServerAndTellsThePageItsUrl() {
		assertThat(this.demoServer.isRunning()).isTrue();
		String config = client("alice").get().uri("/sample/config").retrieve().body(String.class);
		assertThat(config).contains("\"user\":\"alice\"")
			.contains("\"demoServerUrl\":\"" + this.demoServer.mcpUrl() + "\"");
	}

	@Test
	void refusesAnonymousCalls() {
		HttpStatusCode status = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/api/mcp/connections")
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status.value()).isEqualTo(401);
	}

	@Test
	void scriptWithBasicAuthWithoutCsrfTokenGetsProblemNamingCsrf() {
		ResponseEntity<String> answer = client("alice").post()
			.uri("/api/mcp/connections")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"serverUrl\":\"https://mcp.example.com/mcp\"}")
			.exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.body(response.bodyTo(String.class)));
		assertThat(answer.getStatusCode().value()).isEqualTo(403);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getHeaders().containsHeader(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
		assertThat(answer.getBody()).contains("\"status\":403").contains("CSRF").contains("X-XSRF-TOKEN");
	}

	@Test
	void scriptWithBasicAuthAndCsrfTokenFromCookieIsServed() {
		ResponseEntity<Void> config = client("alice").get().uri("/sample/config").retrieve().toBodilessEntity();
		String token = xsrfCookie(config);
		ResponseEntity<String> created = client("alice").post()
			.uri("/api/mcp/connections")
			.header(HttpHeaders.COOKIE, "XSRF-TOKEN=" + token)
			.header("X-XSRF-TOKEN", token)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"serverUrl\":\"" + this.demoServer.mcpUrl() + "\"}")
			.retrieve()
			.toEntity(String.class);
		assertThat(created.getStatusCode().is2xxSuccessful()).isTrue();
		assertThat(created.getBody()).contains("\"authorizationUrl\"");
		Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(created.getBody());
		assertThat(id.find()).isTrue();
		this.connections.delete(McpOwner.of("alice"), UUID.fromString(id.group(1)));
	}

	@Test
	void gatewayIsOnForMcpClientsAndGatewayTokensWhileTheTokenApiKeepsCsrf() {
		String newToken = "{\"name\":\"script token\",\"expiresAt\":\"" + java.time.Instant.now().plusSeconds(3600) + "\"}";
		assertThat(statusOf(client("alice").post()
			.uri("/api/mcp/gateway/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.body(newToken))).as("the token API without a CSRF token").isEqualTo(403);
		String csrf = xsrfCookie(client("alice").get().uri("/sample/config").retrieve().toBodilessEntity());
		String created = client("alice").post()
			.uri("/api/mcp/gateway/tokens")
			.header(HttpHeaders.COOKIE, "XSRF-TOKEN=" + csrf)
			.header("X-XSRF-TOKEN", csrf)
			.contentType(MediaType.APPLICATION_JSON)
			.body(newToken)
			.retrieve()
			.body(String.class);
		Matcher secret = Pattern.compile("\"secret\":\"(mcpgw_[^\"]+)\"").matcher(created);
		assertThat(secret.find()).as(created).isTrue();

		RestClient platform = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeaders((headers) -> headers.setBearerAuth(secret.group(1)))
			.build();
		String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
				+ "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"platform\",\"version\":\"1\"}}}";
		for (RestClient mcpClient : List.of(platform, client("alice"))) {
			String answer = mcpClient.post()
				.uri("/api/mcp/gateway/mcp")
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.ACCEPT, "application/json, text/event-stream")
				.body(initialize)
				.retrieve()
				.body(String.class);
			assertThat(answer).contains("\"serverInfo\"").contains("mcp-connector-gateway");
		}
		assertThat(statusOf(platform.get().uri("/api/mcp/connections"))).as("a gateway token on the REST API")
			.isEqualTo(401);
		Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(created);
		assertThat(id.find()).isTrue();
		assertThat(statusOf(client("alice").delete()
			.uri("/api/mcp/gateway/tokens/" + id.group(1))
			.header(HttpHeaders.COOKIE, "XSRF-TOKEN=" + csrf)
			.header("X-XSRF-TOKEN", csrf))).isEqualTo(204);
	}

	@Test
	void actuatorHealthShowsTheConnectorToAnyone() {
		String health = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(String.class);
		assertThat(health).contains("\"mcpConnector\":{\"status\":\"UP\"");
	}

	@Test
	void actuatorMetricsAndKeyRotationAreForTheAdminOnly() {
		assertThat(statusOf(client("alice").get().uri("/actuator/metrics"))).isEqualTo(403);
		assertThat(statusOf(client("alice").get().uri("/actuator/mcpconnectorkeys"))).isEqualTo(403);
		assertThat(statusOf(client("admin").get().uri("/actuator/metrics/mcp.connector.encryption.rotation.pending")))
			.isEqualTo(200);
		assertThat(client("admin").get().uri("/actuator/mcpconnectorkeys").retrieve().body(String.class))
			.contains("demo-insecure");
		String token = xsrfCookie(client("admin").get().uri("/sample/config").retrieve().toBodilessEntity());
		assertThat(statusOf(client("admin").post()
			.uri("/actuator/mcpconnectorkeys")
			.header(HttpHeaders.COOKIE, "XSRF-TOKEN=" + token)
			.header("X-XSRF-TOKEN", token))).isEqualTo(200);
	}

	private static int statusOf(RestClient.RequestHeadersSpec<?> request) {
		return request.exchange((req, response) -> response.getStatusCode().value());
	}

	static String xsrfCookie(ResponseEntity<?> response) {
		return response.getHeaders()
			.getOrEmpty(HttpHeaders.SET_COOKIE)
			.stream()
			.filter((cookie) -> cookie.startsWith("XSRF-TOKEN="))
			.map((cookie) -> cookie.substring("XSRF-TOKEN=".length(), cookie.indexOf(';')))
			.findFirst()
			.orElseThrow();
	}

	private RestClient client(String user) {
		return RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeaders((headers) -> headers.setBasicAuth(user, user))
			.build();
	}

}
