package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: "a 2026-07-28 tool call is never replayed after a refusal unless the server now
 * speaks another revision" ({@link SessionRunner}), through the executor against a scripted
 * server on loopback that needs no authorization. Its {@code charge} tool counts the calls that
 * reach it. Eight concurrent calls that it refuses with a bare HTTP 400 while it still speaks
 * 2026-07-28 each fail and each reached it once: the revision is found again (still 2026-07-28),
 * nothing is sent twice. A server that answers the refusal because it now speaks only
 * 2025-11-25 gets the call once more, over {@code initialize}, and it completes.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ModernNoReplayTests {

	private static final URI CALLBACK = URI.create("http://127.0.0.1/callback");

	private static final String MODERN = "2026-07-28";

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final McpJsonMapper json = McpJsonDefaults.getMapper();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpConnectionService connections;

	private final AtomicInteger modernCharges = new AtomicInteger();

	private final AtomicInteger legacyCharges = new AtomicInteger();

	private final AtomicInteger discovers = new AtomicInteger();

	/** Whether a 2026-07-28 tools/call is answered with a bare 400. */
	private final AtomicBoolean refuseModernCalls = new AtomicBoolean();

	/** Whether the server speaks only 2025-11-25 from its next 2026-07-28 tools/call on. */
	private final AtomicBoolean legacyFromNextCall = new AtomicBoolean();

	private final AtomicBoolean legacy = new AtomicBoolean();

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private HttpServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(this.workers);
		this.server.createContext("/mcp", this::handle);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
		this.workers.shutdownNow();
	}

	@Test
	void concurrentCallsRefusedByAServerThatStillSpeaksModernAreEachSentOnce() throws Exception {
		McpOwner owner = McpOwner.of("no-replay-" + UUID.randomUUID());
		UUID id = connect(owner);
		assertThat(text(this.executor.callTool(owner, id, "charge", Map.of()))).isEqualTo("charged modern");
		assertThat(this.modernCharges).hasValue(1);

		this.refuseModernCalls.set(true);
		int callers = 8;
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		try {
			List<Future<Throwable>> outcomes = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				outcomes.add(threads.submit(() -> {
					go.await();
					try {
						this.executor.callTool(owner, id, "charge", Map.of());
						return null;
					}
					catch (RuntimeException ex) {
						return ex;
					}
				}));
			}
			go.countDown();
			for (Future<Throwable> outcome : outcomes) {
				assertThat(outcome.get(60, TimeUnit.SECONDS)).as("each refused call fails")
					.isInstanceOf(McpExecutionException.class);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.modernCharges).as("tools/call requests that reached the server: one per call, none replayed")
			.hasValue(1 + callers);
		assertThat(this.legacyCharges).hasValue(0);
		assertThat(this.discovers.get()).as("the revision was found again").isGreaterThan(1);
		assertThat(this.connections.get(owner, id).protocolVersion()).isEqualTo(MODERN);

		this.refuseModernCalls.set(false);
		assertThat(text(this.executor.callTool(owner, id, "charge", Map.of()))).isEqualTo("charged modern");
		assertThat(this.modernCharges).hasValue(2 + callers);
	}

	@Test
	void aCallRefusedByAServerThatNowSpeaksAnOlderRevisionIsSentAgainThere() {
		McpOwner owner = McpOwner.of("no-replay-" + UUID.randomUUID());
		UUID id = connect(owner);
		assertThat(text(this.executor.callTool(owner, id, "charge", Map.of()))).isEqualTo("charged modern");

		this.legacyFromNextCall.set(true);
		assertThat(text(this.executor.callTool(owner, id, "charge", Map.of()))).isEqualTo("charged legacy");
		assertThat(this.modernCharges).as("2026-07-28 calls that reached it (the second was refused unrun)")
			.hasValue(1);
		assertThat(this.legacyCharges).hasValue(1);
		assertThat(this.connections.get(owner, id).protocolVersion()).isEqualTo("2025-11-25");
	}

	private UUID connect(McpOwner owner) {
		String url = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/mcp";
		McpAuthorizationService.AuthorizationStart start = this.authorization.connect(owner, NewConnection.of(url),
				null, CALLBACK);
		assertThat(start.authorizationUrl()).as("no authorization needed").isNull();
		assertThat(this.connections.get(owner, start.connection().id()).protocolVersion()).isEqualTo(MODERN);
		return start.connection().id();
	}

	// ------------------------------------------------------------------ the scripted server

	@SuppressWarnings("unchecked")
	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			Map<String, Object> message = json.readValue(
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Map.class);
			String method = (String) message.get("method");
			Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
			Map<String, Object> meta = (Map<String, Object>) params.getOrDefault("_meta", Map.of());
			boolean modern = "server/discover".equals(method)
					|| MODERN.equals(meta.get("io.modelcontextprotocol/protocolVersion"));
			if (message.get("id") == null) {
				exchange.sendResponseHeaders(202, -1);
				return;
			}
			if (modern && "tools/call".equals(method) && this.legacyFromNextCall.compareAndSet(true, false)) {
				this.legacy.set(true);
			}
			if (modern && this.legacy.get()) {
				// What a server that speaks only 2025-11-25 answers: no modern error body.
				plain(exchange, 400, "Bad Request: No valid session ID provided");
				return;
			}
			Object result = modern ? modern(method, exchange) : legacy(method);
			if (result == null) {
				return;
			}
			byte[] body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", message.get("id"), "result", result))
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	private Object modern(String method, HttpExchange exchange) throws IOException {
		switch (method) {
			case "server/discover" -> {
				this.discovers.incrementAndGet();
				return Map.of("resultType", "complete", "supportedVersions", List.of(MODERN), "capabilities",
						Map.of("tools", Map.of()), "serverInfo", Map.of("name", "no-replay", "version", "1"), "ttlMs", 0,
						"cacheScope", "private");
			}
			case "tools/list" -> {
				return Map.of("resultType", "complete", "tools", List.of(chargeTool()), "ttlMs", 60000, "cacheScope",
						"private");
			}
			case "tools/call" -> {
				this.modernCharges.incrementAndGet();
				if (this.refuseModernCalls.get()) {
					// A refusal that says nothing of the revision (a proxy's, or the server's own).
					plain(exchange, 400, "Bad Request");
					return null;
				}
				return Map.of("resultType", "complete", "content", List.of(Map.of("type", "text", "text",
						"charged modern")));
			}
			default -> {
				plain(exchange, 404, "Not Found");
				return null;
			}
		}
	}

	private Object legacy(String method) {
		return switch (method) {
			case "initialize" -> Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of("tools", Map.of()),
					"serverInfo", Map.of("name", "no-replay", "version", "1"));
			case "tools/list" -> Map.of("tools", List.of(chargeTool()));
			case "tools/call" -> {
				this.legacyCharges.incrementAndGet();
				yield Map.of("content", List.of(Map.of("type", "text", "text", "charged legacy")));
			}
			default -> Map.of();
		};
	}

	private static Map<String, Object> chargeTool() {
		return Map.of("name", "charge", "inputSchema", Map.of("type", "object"));
	}

	private static void plain(HttpExchange exchange, int status, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain");
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	private static String text(McpSchema.CallToolResult result) {
		assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
