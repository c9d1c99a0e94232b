package dev.mcpconnector.execution;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The real SDK transports over a real loopback server: the status of a refused exchange reaches
 * the translator through the {@link RecordingHttpClient}, so a Streamable HTTP POST refused
 * with 400, 404 or 405 and a 401 on the HTTP+SSE transport are recognised by status, whatever
 * the SDK writes in its messages.
 */
@Tag("fast")
class RecordedStatusTests {

	private final SdkExceptionTranslator translator = new SdkExceptionTranslator();

	private final CountDownLatch stop = new CountDownLatch(1);

	private HttpServer server;

	@AfterEach
	void stopServer() {
		this.stop.countDown();
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 405 })
	void initializeWhenStreamablePostRefusedThenStreamableRefusedByStatus(int status) throws IOException {
		start((exchange) -> answer(exchange, "POST".equals(exchange.getRequestMethod()) ? status : 405));
		ExchangeRecorder recorder = new ExchangeRecorder();
		McpClientTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl())
			.endpoint("/mcp")
			.clientBuilder(RecordingHttpClient.builder(HttpClient.newBuilder(), recorder))
			.build();
		assertThat(classify(transport, recorder)).isEqualTo(SdkExceptionTranslator.Kind.STREAMABLE_REFUSED);
	}

	@Test
	void initializeWhenSseMessageRefusedWith401ThenUnauthorizedByStatus() throws IOException {
		start((exchange) -> {
			if ("GET".equals(exchange.getRequestMethod())) {
				exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
				exchange.sendResponseHeaders(200, 0);
				OutputStream body = exchange.getResponseBody();
				body.write("event: endpoint\ndata: /message?sessionId=1\n\n".getBytes(StandardCharsets.UTF_8));
				body.flush();
				try {
					this.stop.await(2, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				exchange.close();
			}
			else {
				answer(exchange, 401);
			}
		});
		ExchangeRecorder recorder = new ExchangeRecorder();
		McpClientTransport transport = HttpClientSseClientTransport.builder(baseUrl())
			.sseEndpoint("/sse")
			.clientBuilder(RecordingHttpClient.builder(HttpClient.newBuilder(), recorder))
			.build();
		assertThat(classify(transport, recorder)).isEqualTo(SdkExceptionTranslator.Kind.UNAUTHORIZED);
	}

	@Test
	void initializeWhenNothingListensThenSessionLost() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		ExchangeRecorder recorder = new ExchangeRecorder();
		McpClientTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
			.endpoint("/mcp")
			.clientBuilder(RecordingHttpClient.builder(HttpClient.newBuilder(), recorder))
			.build();
		assertThat(classify(transport, recorder)).isEqualTo(SdkExceptionTranslator.Kind.SESSION_LOST);
	}

	private SdkExceptionTranslator.Kind classify(McpClientTransport transport, ExchangeRecorder recorder) {
		long mark = recorder.mark();
		McpSyncClient client = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation("recorded-status-tests", "1"))
			.requestTimeout(Duration.ofSeconds(5))
			.initializationTimeout(Duration.ofSeconds(5))
			.build();
		try {
			Throwable failure = catchThrowable(client::initialize);
			assertThat(failure).isNotNull();
			return this.translator.classify(failure, recorder.since(mark));
		}
		finally {
			client.closeGracefully();
		}
	}

	private void start(Handler handler) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			handler.handle(exchange);
		});
		this.server.start();
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private static void answer(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	@FunctionalInterface
	private interface Handler {

		void handle(HttpExchange exchange) throws IOException;

	}

}
