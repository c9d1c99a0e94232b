package dev.mcpconnector.ai;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two host applications on one PostgreSQL database and one set of encryption keys, behind a
 * round-robin proxy on loopback (no sticky sessions): the official TypeScript SDK client talks
 * to the proxy, its requests alternate between the instances, and every one of them succeeds,
 * because no instance holds the client's MCP session.
 */
class McpGatewayInstancesTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final String KEY = TestKeys.newBase64Key();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private static NodePeer everything;

	private static RoundRobinProxy proxy;

	@BeforeAll
	static void start() throws IOException {
		int everythingPort = NodePeer.freePort();
		everything = NodePeer.start("instances-everything-" + everythingPort,
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(everythingPort)), everythingPort);
		List<URI> backends = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
					McpGatewayTests.HostSecurity.class)
				.properties(database.springProperties())
				.properties("server.port=0", "mcp.connector.gateway.enabled=true",
						"mcp.connector.encryption.keys.k1=" + KEY, "mcp.connector.egress.allow-insecure-loopback=true")
				.run();
			instances.add(context);
			backends.add(URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")));
		}
		instances.get(0)
			.getBean(McpConnectionService.class)
			.create(McpOwner.of("alice"),
					new NewConnection("http://127.0.0.1:" + everythingPort + "/mcp", "Alice Desk", null),
					ConnectionStatus.ACTIVE);
		proxy = new RoundRobinProxy(backends);
	}

	@AfterAll
	static void stop() {
		if (proxy != null) {
			proxy.close();
		}
		instances.forEach(ConfigurableApplicationContext::close);
		if (everything != null) {
			everything.close();
		}
	}

	@Test
	void requestsAlternateBetweenInstancesAndEverySucceeds() {
		String output = NodePeer.run("gateway-client-instances",
				List.of("gateway-client.mjs", proxy.url() + "/api/mcp/gateway/mcp", "alice", "alice-password",
						"[{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"first\"}},"
								+ "{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"second\"}},"
								+ "{\"name\":\"Alice_Desk__echo\",\"arguments\":{\"message\":\"third\"}}]"),
				Duration.ofSeconds(60));
		JsonNode alice = JsonMapper.shared().readTree(output.strip());

		assertThat(alice.has("error")).as("client error %s (requests %s)", alice, proxy.forwarded).isFalse();
		assertThat(alice.get("tools").toString()).contains("Alice_Desk__echo");
		List<String> echoes = new ArrayList<>();
		alice.get("calls").forEach((call) -> echoes.add(call.at("/result/content/0/text").asString()));
		assertThat(echoes).containsExactly("Echo: first", "Echo: second", "Echo: third");

		List<Forwarded> posts = proxy.forwarded.stream().filter((f) -> !f.method().equals("GET")).toList();
		// initialize, initialized, tools/list, three calls, and the DELETE that ends the session
		assertThat(posts).hasSizeGreaterThanOrEqualTo(7);
		assertThat(posts).allSatisfy((f) -> assertThat(f.status()).as("%s", f).isBetween(200, 299));
		int opener = posts.stream().filter((f) -> f.rpc().equals("initialize")).findFirst().orElseThrow().backend();
		assertThat(posts.stream().filter((f) -> f.backend() != opener)).as("served by the other instance").isNotEmpty();
		assertThat(posts.stream().filter((f) -> f.rpc().equals("tools/call")).map(Forwarded::backend).distinct())
			.as("calls on both instances").hasSize(2);
		// The client asks for a server-to-client stream; a stateless gateway offers none.
		assertThat(proxy.forwarded.stream().filter((f) -> f.method().equals("GET")))
			.allSatisfy((f) -> assertThat(f.status()).isEqualTo(405));
	}

	record Forwarded(String method, String rpc, int backend, int status) {
	}

	/**
	 * A reverse proxy that sends each request to the next backend in turn, written with the
	 * JDK's HTTP server and client; bodies are buffered (the stateless gateway answers JSON).
	 */
	static final class RoundRobinProxy implements AutoCloseable {

		private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host",
				"transfer-encoding", "keep-alive", "upgrade", "expect");

		private static final java.util.regex.Pattern RPC_METHOD = java.util.regex.Pattern
			.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

		final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();

		private final List<URI> backends;

		private final AtomicInteger next = new AtomicInteger();

		private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		private final HttpServer server;

		RoundRobinProxy(List<URI> backends) throws IOException {
			this.backends = backends;
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/", this::forward);
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		private void forward(HttpExchange exchange) throws IOException {
			int backend = Math.floorMod(this.next.getAndIncrement(), this.backends.size());
			try (exchange; InputStream in = exchange.getRequestBody()) {
				byte[] body = in.readAllBytes();
				HttpRequest.Builder request = HttpRequest
					.newBuilder(this.backends.get(backend).resolve(exchange.getRequestURI().toString()))
					.timeout(Duration.ofSeconds(30))
					.method(exchange.getRequestMethod(), (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
							: HttpRequest.BodyPublishers.noBody());
				exchange.getRequestHeaders().forEach((name, values) -> {
					if (!HOP_BY_HOP.contains(name.toLowerCase())) {
						values.forEach((value) -> request.header(name, value));
					}
				});
				HttpResponse<byte[]> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
				response.headers().map().forEach((name, values) -> {
					if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
						exchange.getResponseHeaders().put(name, values);
					}
				});
				java.util.regex.Matcher rpc = RPC_METHOD.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
				this.forwarded.add(new Forwarded(exchange.getRequestMethod(), rpc.find() ? rpc.group(1) : "",
						backend, response.statusCode()));
				byte[] answer = response.body();
				exchange.sendResponseHeaders(response.statusCode(), (answer.length > 0) ? answer.length : -1);
				exchange.getResponseBody().write(answer);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				exchange.sendResponseHeaders(502, -1);
			}
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
