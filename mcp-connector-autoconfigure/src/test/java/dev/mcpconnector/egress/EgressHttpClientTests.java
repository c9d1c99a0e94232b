package dev.mcpconnector.egress;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.test.Sentinel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link EgressHttpClient} against a plain-http server on 127.0.0.1 that the test starts: every
 * redirect hop is re-checked, redirects are capped, bodies are capped, and transport failures
 * become {@code upstream-unreachable} or {@code upstream-timeout} errors with a message that names only the host.
 */
@Tag("fast")
class EgressHttpClientTests {

	private static final long MAX_BYTES = 1024;

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private ExecutorService handlers;

	private String base;

	private EgressHttpClient http;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		this.server.createContext("/", this::handle);
		// handlers on their own threads: a slow one must not hold up stop()
		this.handlers = Executors.newCachedThreadPool();
		this.server.setExecutor(this.handlers);
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
		this.http = client(Duration.ofSeconds(5), 2);
	}

	@AfterEach
	void stop() {
		this.http.close();
		this.server.stop(0);
		this.handlers.shutdownNow();
	}

	@Test
	void getWhenServerAnswersThenStatusHeadersAndBody() {
		EgressResponse response = this.http.get(URI.create(this.base + "/json"), Map.of("Accept", "application/json"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.isJson()).isTrue();
		assertThat(response.bodyAsString()).isEqualTo("{\"ok\":true}");
		assertThat(response.uri()).isEqualTo(URI.create(this.base + "/json"));
		assertThat(this.requests).containsExactly("GET /json accept=application/json");
	}

	@Test
	void getWhenRedirectedWithinTheLimitThenFollowedToTheEnd() {
		EgressResponse response = this.http.get(URI.create(this.base + "/redirect/2"), Map.of());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.uri()).isEqualTo(URI.create(this.base + "/json"));
		assertThat(this.requests).extracting((r) -> r.split(" ")[1]).containsExactly("/redirect/2", "/redirect/1", "/json");
	}

	@Test
	void getWhenMoreRedirectsThanAllowedThenDenied() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create(this.base + "/redirect/3"), Map.of()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageContaining("Too many redirects");
		assertThat(this.requests).hasSize(3);
	}

	@Test
	void getWhenNoRedirectsAllowedThenTheFirstRedirectIsDenied() {
		try (EgressHttpClient noRedirects = client(Duration.ofSeconds(5), 0)) {
			assertThatExceptionOfType(McpConnectorException.class)
				.isThrownBy(() -> noRedirects.get(URI.create(this.base + "/redirect/1"), Map.of()))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
		}
	}

	@Test
	void getWhenRedirectedToAnInternalAddressThenDeniedWithoutConnecting() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create(this.base + "/to?" + "http://10.0.0.5/latest/meta-data"),
					Map.of()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create(this.base + "/to?" + "http://metadata.example/latest"), Map.of()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create(this.base + "/to?" + "file:///etc/passwd"), Map.of()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
	}

	@Test
	void getWhenRedirectedByNameToLoopbackOverPlainHttpThenDeniedAndNeverConnected() {
		try (Sentinel sentinel = new Sentinel()) {
			assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.http
				.get(URI.create(this.base + "/to?" + "http://loopback.example:" + sentinel.port() + "/"), Map.of()))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
			assertThat(sentinel.connections()).isZero();
		}
	}

	@Test
	void getNoRedirectWhenRedirectedThenTheRedirectIsTheAnswer() {
		EgressResponse response = this.http.getNoRedirect(URI.create(this.base + "/redirect/1"), Map.of());
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).contains("/json");
		assertThat(this.requests).hasSize(1);
	}

	@Test
	void postWhenSentThenBodyAndContentTypeArriveAndRedirectsAreNotFollowed() {
		EgressResponse response = this.http.post(URI.create(this.base + "/echo"), "application/x-www-form-urlencoded",
				"grant_type=refresh_token".getBytes(StandardCharsets.UTF_8), Map.of());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyAsString()).isEqualTo("application/x-www-form-urlencoded|grant_type=refresh_token");
		EgressResponse redirect = this.http.post(URI.create(this.base + "/redirect/1"), "text/plain", new byte[0],
				Map.of());
		assertThat(redirect.status()).isEqualTo(302);
	}

	@Test
	void sendWhenMethodInLowerCaseThenSentUpperCase() {
		assertThat(this.http.send("delete", URI.create(this.base + "/json"), Map.of()).status()).isEqualTo(200);
		assertThat(this.requests).containsExactly("DELETE /json accept=null");
	}

	@Test
	void getWhenBodyAtTheCapThenReadAndWhenOverThenRefused() {
		assertThat(this.http.get(URI.create(this.base + "/bytes/" + MAX_BYTES), Map.of()).body()).hasSize((int) MAX_BYTES);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create(this.base + "/bytes/" + (MAX_BYTES + 1)), Map.of()))
			.withMessageContaining("larger than 1024 bytes")
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE));
	}

	@Test
	void getHeadersWhenBodyIsLargeThenOnlyStatusAndHeaders() {
		EgressResponse response = this.http.getHeaders(URI.create(this.base + "/bytes/100000"), Map.of());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void getWhenServerTooSlowThenTimeout() {
		try (EgressHttpClient impatient = client(Duration.ofMillis(300), 2)) {
			assertThatExceptionOfType(McpConnectorException.class)
				.isThrownBy(() -> impatient.get(URI.create(this.base + "/slow?token=s3cr3t"), Map.of()))
				.satisfies((ex) -> {
					assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_TIMEOUT);
				})
				.withMessageNotContaining("s3cr3t")
				.withMessageNotContaining("/slow");
		}
	}

	@Test
	void getWhenNothingListensThenUnreachableNamingOnlyTheHost() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			closedPort = socket.getLocalPort();
		}
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.http.get(URI.create("http://127.0.0.1:" + closedPort + "/mcp?code=abc"), Map.of()))
			.satisfies((ex) -> {
				assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE);
			})
			.withMessageContaining("127.0.0.1")
			.withMessageNotContaining("code=abc");
	}

	@Test
	void getWhenUrlCarriesUserInfoThenDeniedBeforeAnyRequest() {
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.http
			.get(URI.create("http://alice:secret@127.0.0.1:" + this.server.getAddress().getPort() + "/json"), Map.of()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
		assertThat(this.requests).isEmpty();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		this.requests.add(exchange.getRequestMethod() + " " + path + " accept="
				+ exchange.getRequestHeaders().getFirst("Accept"));
		try (exchange) {
			if (path.equals("/json")) {
				respond(exchange, 200, "application/json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
			}
			else if (path.startsWith("/redirect/")) {
				int left = Integer.parseInt(path.substring("/redirect/".length()));
				exchange.getResponseHeaders().add("Location", (left > 1) ? "/redirect/" + (left - 1) : "/json");
				exchange.sendResponseHeaders(302, -1);
			}
			else if (path.equals("/to")) {
				exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getRawQuery());
				exchange.sendResponseHeaders(307, -1);
			}
			else if (path.equals("/echo")) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				respond(exchange, 200, "text/plain", (exchange.getRequestHeaders().getFirst("Content-Type") + "|" + body)
					.getBytes(StandardCharsets.UTF_8));
			}
			else if (path.startsWith("/bytes/")) {
				respond(exchange, 200, "application/octet-stream",
						new byte[Integer.parseInt(path.substring("/bytes/".length()))]);
			}
			else if (path.equals("/slow")) {
				try {
					Thread.sleep(3000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				respond(exchange, 200, "text/plain", new byte[0]);
			}
			else {
				exchange.sendResponseHeaders(404, -1);
			}
		}
		catch (IOException ex) {
			// the client went away (timeouts, capped bodies)
		}
	}

	private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private static EgressHttpClient client(Duration requestTimeout, int maxRedirects) {
		EgressPolicy policy = new EgressPolicy(true, Set.of(), EgressHttpClientTests::resolve);
		return new EgressHttpClient(policy, Duration.ofSeconds(2), requestTimeout, MAX_BYTES, maxRedirects);
	}

	private static InetAddress[] resolve(String host) throws UnknownHostException {
		return switch (host) {
			case "loopback.example" -> new InetAddress[] { InetAddress.getByName("127.0.0.1") };
			case "metadata.example" -> new InetAddress[] { InetAddress.getByName("169.254.169.254") };
			default -> {
				if (host.indexOf(':') < 0 && !host.chars().allMatch((c) -> Character.isDigit(c) || c == '.')) {
					throw new UnknownHostException(host);
				}
				yield InetAddress.getAllByName(host);
			}
		};
	}

}
