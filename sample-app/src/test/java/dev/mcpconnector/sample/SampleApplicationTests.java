package dev.mcpconnector.sample;

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
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample starts as its README says (demo profile, its own embedded PostgreSQL, the demo MCP
 * server on a free port) and serves the connector's REST API to its users over HTTP Basic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo-server.port=0")
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

	private RestClient client(String user) {
		return RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeaders((headers) -> headers.setBasicAuth(user, user))
			.build();
	}

}
