package dev.mcpconnector.authorization;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link McpServerProbe} against a scripted HTTP server on loopback: what the
 * {@code server/discover} request carries, the one corrective retry, and the fall back to
 * {@code initialize} with the revision it negotiated.
 */
class McpServerProbeTests {

	private static final String DISCOVER_RESULT = """
			{"jsonrpc":"2.0","id":"server-discover-probe-1","result":{"supportedVersions":["2026-07-28"],\
			"capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"private"}}""";

	private static final String UNSUPPORTED = """
			{"jsonrpc":"2.0","id":"server-discover-probe-1","error":{"code":-32022,"message":"Unsupported protocol \
			version","data":{"supported":["2026-07-28"],"requested":"2026-07-28"}}}""";

	private final Deque<Answer> answers = new ArrayDeque<>();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private EgressHttpClient http;

	private McpServerProbe probe;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/mcp", this::handle);
		this.server.start();
		this.http = new EgressHttpClient(new EgressPolicy(true, Set.of()), Duration.ofSeconds(2), Duration.ofSeconds(5),
				1024 * 1024, 0);
		this.probe = new McpServerProbe(this.http, "probe-test", "1.2.3");
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
		this.http.close();
	}

	@Test
	void probeWhenModernServerThenDiscoverCarriesTheHeadersAndMetaOfTheSpec() {
		this.answers.add(new Answer(200, "application/json", DISCOVER_RESULT, Map.of()));
		McpServerProbe.Result result = this.probe.probe(url());
		assertThat(result.open()).isTrue();
		assertThat(result.protocolVersion()).isEqualTo("2026-07-28");
		assertThat(result.transport()).isEqualTo(McpTransport.STREAMABLE_HTTP);
		assertThat(result.discover().path("capabilities").has("tools")).isTrue();

		assertThat(this.received).hasSize(1);
		Received discover = this.received.get(0);
		assertThat(discover.method()).isEqualTo("POST");
		assertThat(discover.headers()).containsEntry("mcp-method", "server/discover")
			.containsEntry("mcp-protocol-version", "2026-07-28")
			.containsEntry("content-type", "application/json")
			.containsEntry("accept", "application/json, text/event-stream")
			.doesNotContainKey("authorization");
		JsonNode body = JsonMapper.shared().readTree(discover.body());
		assertThat(body.path("jsonrpc").asString()).isEqualTo("2.0");
		assertThat(body.path("method").asString()).isEqualTo("server/discover");
		assertThat(body.path("id").isString()).isTrue();
		JsonNode meta = body.path("params").path("_meta");
		assertThat(meta.path("io.modelcontextprotocol/protocolVersion").asString()).isEqualTo("2026-07-28");
		assertThat(meta.path("io.modelcontextprotocol/clientCapabilities").isObject()).isTrue();
		assertThat(meta.path("io.modelcontextprotocol/clientInfo").path("name").asString()).isEqualTo("probe-test");
		assertThat(meta.path("io.modelcontextprotocol/clientInfo").path("version").asString()).isEqualTo("1.2.3");
	}

	@Test
	void probeWhenUnsupportedVersionListsOursThenRetriesOnceAtIt() {
		this.answers.add(new Answer(400, "application/json", UNSUPPORTED, Map.of()));
		this.answers.add(new Answer(200, "application/json", DISCOVER_RESULT, Map.of()));
		assertThat(this.probe.probe(url()).protocolVersion()).isEqualTo("2026-07-28");
		assertThat(this.received).hasSize(2).allMatch((r) -> r.body().contains("\"server/discover\""));
		assertThat(this.received.get(1).body()).contains("server-discover-probe-2");
	}

	@Test
	void probeWhenUnsupportedVersionTwiceThenNotAnMcpServerWithoutAThirdRequest() {
		this.answers.add(new Answer(400, "application/json", UNSUPPORTED, Map.of()));
		this.answers.add(new Answer(400, "application/json", UNSUPPORTED, Map.of()));
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.probe.probe(url()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.NOT_AN_MCP_SERVER));
		assertThat(this.received).hasSize(2);
	}

	@Test
	void probeWhen401ThenAuthorizationWithTheChallengeAndNoRevisionYet() {
		this.answers.add(new Answer(401, "application/json", "{}",
				Map.of("WWW-Authenticate", "Bearer resource_metadata=\"http://x/.well-known/oauth-protected-resource\"")));
		McpServerProbe.Result result = this.probe.probe(url());
		assertThat(result.open()).isFalse();
		assertThat(result.challenge()).isPresent();
		assertThat(result.protocolVersion()).isNull();
		assertThat(this.received).hasSize(1);
	}

	@Test
	void probeWhenLegacyServerThenInitializeAndTheRevisionItNegotiated() {
		this.answers.add(new Answer(400, "text/plain", "Bad Request: No valid session ID provided", Map.of()));
		this.answers.add(new Answer(200, "text/event-stream", "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":"
				+ "\"probe-1\",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"serverInfo\":"
				+ "{\"name\":\"s\",\"version\":\"1\"}}}\n\n", Map.of("Mcp-Session-Id", "abc")));
		this.answers.add(new Answer(200, null, "", Map.of()));
		McpServerProbe.Result result = this.probe.probe(url());
		assertThat(result.open()).isTrue();
		assertThat(result.protocolVersion()).isEqualTo("2025-06-18");
		assertThat(result.discover()).isNull();
		assertThat(this.received).extracting(Received::method).containsExactly("POST", "POST", "DELETE");
		assertThat(this.received.get(1).body()).contains("\"initialize\"");
	}

	@Test
	void probeWhen500ThenNotAnMcpServerAndNoInitialize() {
		this.answers.add(new Answer(500, "text/plain", "boom", Map.of()));
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.probe.probe(url()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.NOT_AN_MCP_SERVER));
		assertThat(this.received).hasSize(1);
	}

	@Test
	void probeWhenNothingListensThenServerUnreachable() {
		URI url = url();
		this.server.stop(0);
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.probe.probe(url))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SERVER_UNREACHABLE));
	}

	private URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/mcp");
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			Map<String, String> headers = new java.util.TreeMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", values)));
			this.received.add(new Received(exchange.getRequestMethod(), headers,
					new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			Answer answer = this.answers.poll();
			if (answer == null) {
				exchange.sendResponseHeaders(500, -1);
				return;
			}
			answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			if (answer.contentType() != null) {
				exchange.getResponseHeaders().add("Content-Type", answer.contentType());
			}
			byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), (body.length > 0) ? body.length : -1);
			exchange.getResponseBody().write(body);
		}
	}

	private record Answer(int status, String contentType, String body, Map<String, String> headers) {

	}

	private record Received(String method, Map<String, String> headers, String body) {

	}

}
