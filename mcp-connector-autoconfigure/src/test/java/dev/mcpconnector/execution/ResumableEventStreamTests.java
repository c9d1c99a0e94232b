package dev.mcpconnector.execution;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.McpConnectorErrorCode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The SDK's own Streamable HTTP transport and client over {@link RecordingHttpClient} with
 * resumption on, against a scripted loopback server: a POST's event stream that ends or
 * breaks before the response is resumed with GET and {@code Last-Event-ID} after the
 * server's {@code retry}, and only then.
 */
@Tag("fast")
class ResumableEventStreamTests {

	private static final String TOKEN = "Bearer t0ken-under-test";

	private final CountDownLatch stop = new CountDownLatch(1);

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private final List<Received> resumes = new CopyOnWriteArrayList<>();

	private final List<Long> postCloses = new CopyOnWriteArrayList<>();

	private final ExchangeRecorder recorder = new ExchangeRecorder();

	private final SdkExceptionTranslator translator = new SdkExceptionTranslator();

	private volatile String toolCallId;

	private volatile int toolCalls;

	private HttpServer server;

	private McpSyncClient client;

	@AfterEach
	void stopAll() {
		this.stop.countDown();
		if (this.client != null) {
			this.client.closeGracefully();
		}
		if (this.server != null) {
			this.server.stop(0);
		}
		this.workers.shutdownNow();
	}

	@Test
	void callToolWhenPostStreamClosesBeforeResponseThenResumesWithLastEventIdAfterRetry() throws Exception {
		CountDownLatch getCancelled = new CountDownLatch(1);
		start((post) -> {
			write(post, "id: e-1\nretry: 300\ndata: \n\n");
			closePost(post);
		}, (get, attempt) -> {
			write(get, "id: e-2\nretry: 300\ndata: \n\n" + response());
			// The server keeps the stream open: the client must cancel it after the response.
			waitForCancel(get, getCancelled);
		});
		McpSchema.CallToolResult result = callTool(Duration.ofSeconds(10));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("resumed");
		assertThat(this.resumes).hasSize(1);
		Received get = this.resumes.get(0);
		assertThat(get.headers().getFirst("Last-Event-ID")).isEqualTo("e-1");
		assertThat(get.headers().getFirst("Accept")).isEqualTo("text/event-stream");
		assertThat(get.headers().getFirst("Authorization")).isEqualTo(TOKEN);
		assertThat(get.headers().getFirst("Mcp-Session-Id")).isEqualTo("s-1");
		assertThat(get.headers().getFirst("MCP-Protocol-Version")).isNotBlank();
		// Not before the server's retry (a loaded machine may take longer, never shorter).
		assertThat(TimeUnit.NANOSECONDS.toMillis(get.nanos() - this.postCloses.get(0))).isGreaterThanOrEqualTo(250L);
		assertThat(getCancelled.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.toolCalls).isEqualTo(1);
	}

	@Test
	void callToolWhenNoRetryFieldThenResumesAfterOneSecondBackoff() throws Exception {
		start((post) -> {
			write(post, "id: e-1\ndata: \n\n");
			closePost(post);
		}, (get, attempt) -> {
			write(get, response());
			get.close();
		});
		McpSchema.CallToolResult result = callTool(Duration.ofSeconds(10));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("resumed");
		assertThat(this.resumes).hasSize(1);
		assertThat(TimeUnit.NANOSECONDS.toMillis(this.resumes.get(0).nanos() - this.postCloses.get(0)))
			.isGreaterThanOrEqualTo(950L);
	}

	@Test
	void callToolWhenPostStreamBreaksThenResumes() throws Exception {
		start((post) -> {
			// Promise more than is sent, then hang up: the client reads a broken body.
			post.getResponseHeaders().set("Content-Type", "text/event-stream");
			post.sendResponseHeaders(200, 100_000);
			OutputStream body = post.getResponseBody();
			body.write("id: e-1\nretry: 100\ndata: \n\nid: e-1b\ndata: {\"jsonrpc\"".getBytes(StandardCharsets.UTF_8));
			body.flush();
			this.postCloses.add(System.nanoTime());
			post.close();
		}, (get, attempt) -> {
			write(get, response());
			get.close();
		});
		McpSchema.CallToolResult result = callTool(Duration.ofSeconds(10));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("resumed");
		assertThat(this.resumes).extracting((get) -> get.headers().getFirst("Last-Event-ID")).containsExactly("e-1");
	}

	@Test
	void callToolWhenFirstResumeEndsTooThenResumesAgainFromItsLastId() throws Exception {
		start((post) -> {
			write(post, "id: e-1\nretry: 100\ndata: \n\n");
			closePost(post);
		}, (get, attempt) -> {
			if (attempt == 1) {
				write(get, "id: e-2\ndata: \n\n");
			}
			else {
				write(get, response());
			}
			get.close();
		});
		McpSchema.CallToolResult result = callTool(Duration.ofSeconds(10));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("resumed");
		assertThat(this.resumes).extracting((get) -> get.headers().getFirst("Last-Event-ID"))
			.containsExactly("e-1", "e-2");
	}

	@Test
	void callToolWhenResponseOnPostStreamThenNoGet() throws Exception {
		start((post) -> {
			write(post, "id: e-1\nretry: 100\ndata: \n\n" + response());
			closePost(post);
		}, (get, attempt) -> get.close());
		McpSchema.CallToolResult result = callTool(Duration.ofSeconds(10));
		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("resumed");
		Thread.sleep(400);
		assertThat(this.resumes).isEmpty();
	}

	@Test
	void callToolWhenStreamCarriedNoIdThenNotResumed() throws Exception {
		start((post) -> {
			write(post, "retry: 100\ndata: \n\n");
			closePost(post);
		}, (get, attempt) -> get.close());
		Throwable failure = catchThrowable(() -> callTool(Duration.ofSeconds(1)));
		assertThat(SdkExceptionTranslator.causeOf(failure, TimeoutException.class)).isPresent();
		assertThat(this.resumes).isEmpty();
	}

	@Test
	void callToolWhenEveryResumeFailsThenUnreachableAtOnceAndNotALostSession() throws Exception {
		start((post) -> {
			write(post, "id: e-1\nretry: 100\ndata: \n\n");
			closePost(post);
		}, (get, attempt) -> {
			get.sendResponseHeaders(503, -1);
			get.close();
		});
		long mark = this.recorder.mark();
		long started = System.nanoTime();
		Throwable failure = catchThrowable(() -> callTool(Duration.ofSeconds(120)));
		// Failed at once, not after the 120 s request timeout.
		assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(60);
		assertThat(SdkExceptionTranslator.causeOf(failure, IOException.class)).isPresent();
		assertThat(this.resumes).hasSize(ResumableEventStream.MAX_ATTEMPTS);
		// Not a lost session: the runner would replay the tool call.
		assertThat(this.translator.classify(failure, this.recorder.since(mark)))
			.isEqualTo(SdkExceptionTranslator.Kind.FAILED);
		RuntimeException translated = this.translator.translate(UUID.randomUUID(), "Calling a tool", failure);
		assertThat(((McpExecutionException) translated).error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE);
		assertThat(translated.getMessage()).doesNotContain("t0ken");
		assertThat(this.toolCalls).isEqualTo(1);
	}

	private McpSchema.CallToolResult callTool(Duration timeout) {
		HttpClient.Builder http = RecordingHttpClient.resumingEventStreams(
				RecordingHttpClient.builder(HttpClient.newBuilder(), this.recorder), 1 << 20);
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + this.server.getAddress().getPort())
			.endpoint("/mcp")
			.clientBuilder(http)
			.httpRequestCustomizer((builder, method, uri, body, context) -> builder.setHeader("Authorization", TOKEN))
			.build();
		this.client = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation("resumable-event-stream-tests", "1"))
			.requestTimeout(timeout)
			.initializationTimeout(Duration.ofSeconds(5))
			.build();
		this.client.initialize();
		return this.client.callTool(new McpSchema.CallToolRequest("slow", Map.of()));
	}

	private void start(Script post, Resume resume) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setExecutor(this.workers);
		this.server.createContext("/mcp", (exchange) -> {
			if ("GET".equals(exchange.getRequestMethod())) {
				if (exchange.getRequestHeaders().getFirst("Last-Event-ID") == null) {
					// The SDK's own standalone stream: not offered.
					exchange.sendResponseHeaders(405, -1);
					exchange.close();
					return;
				}
				this.resumes.add(new Received(exchange.getRequestHeaders(), System.nanoTime()));
				resume.handle(exchange, this.resumes.size());
				return;
			}
			if ("DELETE".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
				return;
			}
			Map<?, ?> message = McpJsonDefaults.getMapper()
				.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
			Object method = message.get("method");
			if ("initialize".equals(method)) {
				json(exchange, "{\"jsonrpc\":\"2.0\",\"id\":" + quoted(message.get("id"))
						+ ",\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
						+ "\"serverInfo\":{\"name\":\"scripted\",\"version\":\"1\"}}}");
			}
			else if ("tools/call".equals(method)) {
				this.toolCalls++;
				this.toolCallId = quoted(message.get("id"));
				post.handle(exchange);
			}
			else if (message.get("id") == null) {
				exchange.sendResponseHeaders(202, -1);
				exchange.close();
			}
			else {
				json(exchange, "{\"jsonrpc\":\"2.0\",\"id\":" + quoted(message.get("id")) + ",\"result\":{}}");
			}
		});
		this.server.start();
	}

	private String response() {
		return "event: message\nid: e-9\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + this.toolCallId
				+ ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"resumed\"}]}}\n\n";
	}

	private void closePost(HttpExchange post) {
		this.postCloses.add(System.nanoTime());
		post.close();
	}

	private void waitForCancel(HttpExchange get, CountDownLatch cancelled) {
		try {
			while (!this.stop.await(50, TimeUnit.MILLISECONDS)) {
				write(get, ": ping\n\n");
			}
		}
		catch (IOException ex) {
			cancelled.countDown();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		get.close();
	}

	private static void write(HttpExchange exchange, String events) throws IOException {
		if (exchange.getResponseCode() < 0) {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.getResponseHeaders().set("Mcp-Session-Id", "s-1");
			exchange.sendResponseHeaders(200, 0);
		}
		OutputStream body = exchange.getResponseBody();
		body.write(events.getBytes(StandardCharsets.UTF_8));
		body.flush();
	}

	private static void json(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.getResponseHeaders().set("Mcp-Session-Id", "s-1");
		exchange.sendResponseHeaders(200, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private static String quoted(Object id) {
		return (id instanceof String text) ? "\"" + text + "\"" : String.valueOf(id);
	}

	private interface Script {

		void handle(HttpExchange exchange) throws IOException;

	}

	private interface Resume {

		void handle(HttpExchange exchange, int attempt) throws IOException;

	}

	private record Received(Headers headers, long nanos) {
	}

}
