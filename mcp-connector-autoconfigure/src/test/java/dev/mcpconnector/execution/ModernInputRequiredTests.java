package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.client.McpInputHandlerMissingException;
import io.modelcontextprotocol.modern.client.McpInputRoundsExceededException;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code input_required} results of a 2026-07-28 server on loopback (a scripted JSON-RPC server,
 * as the conformance scenario {@code sep-2322-client-request-state} is): the client built by
 * {@link ModernClientFactory} declares form elicitation, hands each elicitation to the settings'
 * handler in {@code spec.McpSchema} types, and retries with a new id, the answer, and the
 * {@code requestState} exactly as sent (none when none was sent); nothing carries over to the
 * next call; a request it does not offer and endless rounds are {@code upstream-error}.
 */
@Tag("fast")
class ModernInputRequiredTests {

	private static final McpJsonMapper json = McpJsonDefaults.getMapper();

	/** Opaque to the client: quotes, braces, spaces, non-ASCII. */
	private static final String STATE = "{\"nonce\":\"a b\",\"n\":1} ü=";

	private final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();

	private final List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();

	private HttpServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/mcp", this::handle);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void callWhenInputRequiredThenHandlerAnswersAndStateEchoedUntouchedWithANewId() {
		ModernPeer peer = peer((request) -> {
			this.asked.add(request);
			return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("confirmed", true), null);
		});

		assertThat(text(peer.callTool("echo_state", Map.of("x", 1)))).isEqualTo("state-ok");
		assertThat(text(peer.callTool("no_state", Map.of()))).isEqualTo("no-state-ok");
		assertThat(text(peer.callTool("plain", Map.of()))).isEqualTo("plain-ok");

		assertThat(this.asked).hasSize(2);
		assertThat(this.asked.get(0).message()).isEqualTo("Please confirm");
		assertThat(this.asked.get(0).requestedSchema()).containsKey("properties");
		assertThat(this.calls).hasSize(5);
		Map<String, Object> first = params(this.calls.get(0));
		Map<String, Object> retry = params(this.calls.get(1));
		assertThat(first).doesNotContainKeys("inputResponses", "requestState");
		assertThat(this.calls.get(1).get("id")).isNotEqualTo(this.calls.get(0).get("id"));
		assertThat(retry.get("requestState")).isEqualTo(STATE);
		assertThat(retry.get("arguments")).isEqualTo(Map.of("x", 1));
		assertThat(retry.get("inputResponses")).isEqualTo(Map.of("confirm",
				Map.of("action", "accept", "content", Map.of("confirmed", true, "note", "from the default"))));
		@SuppressWarnings("unchecked")
		Map<String, Object> capabilities = (Map<String, Object>) ((Map<String, Object>) first.get("_meta"))
			.get("io.modelcontextprotocol/clientCapabilities");
		assertThat(capabilities).containsKey("elicitation");
		assertThat(params(this.calls.get(3))).containsKey("inputResponses").doesNotContainKey("requestState");
		assertThat(params(this.calls.get(4))).doesNotContainKeys("inputResponses", "requestState");
	}

	@Test
	void callWhenNoHandlerOrEndlessRoundsThenUpstreamError() {
		SdkExceptionTranslator translator = new SdkExceptionTranslator();
		ModernPeer withoutHandler = peer(null);
		RuntimeException unoffered = catchRuntime(() -> withoutHandler.callTool("echo_state", Map.of()));
		assertThat(unoffered).isInstanceOf(McpInputHandlerMissingException.class);
		assertThat(((McpExecutionException) translator.translate(UUID.randomUUID(), "Calling tool echo_state",
				unoffered)).error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);

		ModernPeer peer = peer((request) -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null,
				null));
		assertThatExceptionOfType(McpInputRoundsExceededException.class)
			.isThrownBy(() -> peer.callTool("endless", Map.of()));
		// The first call and ten retries.
		assertThat(this.calls.stream().filter((call) -> "endless".equals(params(call).get("name")))).hasSize(11);
	}

	/**
	 * Sampling and roots have no handler on any revision here (the older revisions' sessions
	 * declare neither either), so a 2026-07-28 server must not ask for them (MRTR: "Servers MUST
	 * NOT send an inputRequests that the client has not declared support for"). One that does
	 * gets no made-up answer and no retry: the call fails as {@code upstream-error}, and the
	 * capabilities sent never named sampling or roots.
	 */
	@Test
	void callWhenServerAsksForSamplingOrRootsItWasNotOfferedThenUpstreamErrorAndNoRetry() {
		SdkExceptionTranslator translator = new SdkExceptionTranslator();
		ModernPeer peer = peer((request) -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
				Map.of("confirmed", true), null));
		for (String tool : List.of("sample", "roots")) {
			RuntimeException refused = catchRuntime(() -> peer.callTool(tool, Map.of()));
			assertThat(refused).as(tool).isInstanceOf(McpInputHandlerMissingException.class);
			McpExecutionException translated = (McpExecutionException) translator.translate(UUID.randomUUID(),
					"Calling tool " + tool, refused);
			assertThat(translated.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);
			assertThat(translated.getMessage()).contains("which this client does not offer");
			assertThat(this.calls.stream().filter((call) -> tool.equals(params(call).get("name"))))
				.as("calls of %s: the first, no retry", tool)
				.singleElement()
				.satisfies((call) -> {
					assertThat(params(call)).doesNotContainKeys("inputResponses", "requestState");
					@SuppressWarnings("unchecked")
					Map<String, Object> capabilities = (Map<String, Object>) ((Map<String, Object>) params(call)
						.get("_meta")).get("io.modelcontextprotocol/clientCapabilities");
					assertThat(capabilities).containsKey("elicitation").doesNotContainKeys("sampling", "roots");
				});
		}
	}

	private ModernPeer peer(Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation) {
		McpClientSettings settings = new McpClientSettings("test-client", "1.0.0", Duration.ofSeconds(5),
				Duration.ofSeconds(5), elicitation);
		McpOwner owner = McpOwner.of("alice");
		URI url = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/mcp");
		McpConnection connection = new McpConnection(UUID.randomUUID(), owner, "scripted", url, url,
				ConnectionStatus.ACTIVE, null, null, null, null, null, null, "2026-07-28", null, Instant.now(),
				Instant.now(), 0);
		SessionTokenSource tokens = new SessionTokenSource(owner, connection.id(), null, null, Clock.systemUTC());
		McpClientTransportFactory.TransportRequest request = new McpClientTransportFactory.TransportRequest(owner,
				connection, HttpClient.newBuilder(), Duration.ofSeconds(5), 1024 * 1024, tokens);
		return new ModernPeer(new ModernClientFactory(settings).create(request, Duration.ofSeconds(5)));
	}

	private void handle(HttpExchange exchange) throws IOException {
		Map<String, Object> message = json.readValue(new String(exchange.getRequestBody().readAllBytes(),
				StandardCharsets.UTF_8), Map.class);
		Object id = message.get("id");
		if (id == null) {
			exchange.sendResponseHeaders(202, -1);
			exchange.close();
			return;
		}
		Object result = switch ((String) message.get("method")) {
			case "server/discover" -> Map.of("resultType", "complete", "supportedVersions", List.of("2026-07-28"),
					"capabilities", Map.of("tools", Map.of()), "serverInfo", Map.of("name", "scripted", "version", "1"));
			case "tools/list" -> Map.of("resultType", "complete", "tools",
					List.of("echo_state", "no_state", "plain", "endless", "sample", "roots")
						.stream()
						.map((name) -> Map.of("name", name, "inputSchema", Map.of("type", "object")))
						.toList());
			case "tools/call" -> call(message);
			default -> null;
		};
		byte[] body = json.writeValueAsString((result != null) ? Map.of("jsonrpc", "2.0", "id", id, "result", result)
				: Map.of("jsonrpc", "2.0", "id", id, "error", Map.of("code", -32601, "message", "no")))
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	private Object call(Map<String, Object> message) {
		this.calls.add(message);
		Map<String, Object> params = params(message);
		boolean answered = params.containsKey("inputResponses");
		return switch ((String) params.get("name")) {
			case "echo_state" -> answered ? complete("state-ok") : inputRequired(STATE);
			case "no_state" -> answered ? complete("no-state-ok") : inputRequired(null);
			case "endless" -> inputRequired("again");
			case "sample" -> Map.of("resultType", "input_required", "requestState", "s", "inputRequests",
					Map.of("summary", Map.of("method", "sampling/createMessage", "params",
							Map.of("messages", List.of(Map.of("role", "user", "content",
									Map.of("type", "text", "text", "Summarize"))), "maxTokens", 10))));
			case "roots" -> Map.of("resultType", "input_required", "inputRequests",
					Map.of("where", Map.of("method", "roots/list", "params", Map.of())));
			default -> complete("plain-ok");
		};
	}

	private static Map<String, Object> inputRequired(String state) {
		Map<String, Object> confirm = Map.of("method", "elicitation/create", "params",
				Map.of("mode", "form", "message", "Please confirm", "requestedSchema",
						Map.of("type", "object", "properties", Map.of("confirmed", Map.of("type", "boolean"), "note",
								Map.of("type", "string", "default", "from the default")))));
		return (state != null)
				? Map.of("resultType", "input_required", "inputRequests", Map.of("confirm", confirm), "requestState",
						state)
				: Map.of("resultType", "input_required", "inputRequests", Map.of("confirm", confirm));
	}

	private static Map<String, Object> complete(String text) {
		return Map.of("resultType", "complete", "content", List.of(Map.of("type", "text", "text", text)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> params(Map<String, Object> message) {
		return (Map<String, Object>) message.get("params");
	}

	private static String text(McpSchema.CallToolResult result) {
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

	private static RuntimeException catchRuntime(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			return ex;
		}
		throw new AssertionError("expected a failure");
	}

}
