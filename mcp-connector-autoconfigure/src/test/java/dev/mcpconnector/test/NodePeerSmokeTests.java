package dev.mcpconnector.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the npm {@code @modelcontextprotocol/server-everything} peer through {@link NodePeer}
 * and checks that its Streamable HTTP endpoint answers {@code initialize}.
 */
class NodePeerSmokeTests {

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
			"capabilities":{},"clientInfo":{"name":"node-peer-smoke-test","version":"1.0.0"}}}""";

	@Test
	void serverEverythingAnswersInitialize() throws Exception {
		int port = NodePeer.freePort();
		ProcessHandle node;
		try (NodePeer peer = NodePeer.start("server-everything-smoke",
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(port)), port)) {
			node = ProcessHandle.of(peer.pid()).orElseThrow();
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
				.timeout(Duration.ofSeconds(10))
				.header("Accept", "application/json, text/event-stream")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
				.build();

			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).as(peer.logTail()).isEqualTo(200);
			assertThat(response.headers().firstValue("mcp-session-id")).isPresent();
			assertThat(response.body()).contains("\"serverInfo\"").contains("mcp-servers/everything");
		}
		assertThat(node.isAlive()).isFalse();
	}

}
