package dev.mcpconnector.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: a bare JDK {@link HttpClient} (HTTP/1.1, keep-alive, calls made one after another so
 * they share one connection) posting a {@code tools/call} JSON-RPC body, with nothing of an MCP
 * SDK in between. For 2025-11-25 it opens the session once ({@code initialize},
 * {@code notifications/initialized}) and then sends each call with its {@code Mcp-Session-Id};
 * for 2026-07-28 each call is one self-contained request with the revision's {@code _meta} and
 * headers. A call that does not come back as a result fails: a floor that measures errors is none.
 */
final class FloorClient implements AutoCloseable {

	private static final String LEGACY_REVISION = "2025-11-25";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final URI url;

	private final boolean modern;

	private final Map<String, String> sessionHeaders = new LinkedHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private FloorClient(URI url, boolean modern) {
		this.url = url;
		this.modern = modern;
	}

	/** A client of a 2025-11-25 session at the URL, initialized. */
	static FloorClient legacy(String url) {
		FloorClient client = new FloorClient(URI.create(url), false);
		HttpResponse<String> initialized = client.post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
				+ "\"params\":{\"protocolVersion\":\"" + LEGACY_REVISION + "\",\"capabilities\":{},"
				+ "\"clientInfo\":{\"name\":\"floor\",\"version\":\"1\"}}}", Map.of());
		String session = initialized.headers()
			.firstValue("Mcp-Session-Id")
			.orElseThrow(() -> new IllegalStateException("no session: " + initialized.body()));
		client.sessionHeaders.put("Mcp-Session-Id", session);
		client.sessionHeaders.put("MCP-Protocol-Version", LEGACY_REVISION);
		client.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", client.sessionHeaders);
		return client;
	}

	/** A 2026-07-28 client of the URL (nothing to open). */
	static FloorClient modern(String url) {
		FloorClient client = new FloorClient(URI.create(url), true);
		client.sessionHeaders.put("MCP-Protocol-Version", FastMcpServer.MODERN_REVISION);
		return client;
	}

	/**
	 * One {@code tools/call}.
	 * @param tool the tool's name
	 * @param message the {@code message} argument
	 * @return the response body (JSON or an SSE stream with the result)
	 */
	String call(String tool, String message) {
		long id = this.ids.incrementAndGet();
		String meta = this.modern ? ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\""
				+ FastMcpServer.MODERN_REVISION + "\",\"io.modelcontextprotocol/clientCapabilities\":{},"
				+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"floor\",\"version\":\"1\"}}" : "";
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
				+ "\",\"arguments\":{\"message\":\"" + message + "\"}" + meta + "}}";
		Map<String, String> headers = new LinkedHashMap<>(this.sessionHeaders);
		if (this.modern) {
			headers.put("Mcp-Method", "tools/call");
			headers.put("Mcp-Name", tool);
		}
		String answer = post(body, headers).body();
		if (!answer.contains("\"result\"") || answer.contains("\"isError\":true")) {
			throw new IllegalStateException("tools/call did not succeed: " + answer);
		}
		return answer;
	}

	/** Any JSON-RPC message with this client's session headers; the answer must be 2xx. */
	HttpResponse<String> post(String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.url)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
			}
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	Map<String, String> sessionHeaders() {
		return this.sessionHeaders;
	}

	@Override
	public void close() {
		if (!this.modern && this.sessionHeaders.containsKey("Mcp-Session-Id")) {
			try {
				this.http.send(HttpRequest.newBuilder(this.url)
					.DELETE()
					.header("Mcp-Session-Id", this.sessionHeaders.get("Mcp-Session-Id"))
					.build(), HttpResponse.BodyHandlers.discarding());
			}
			catch (IOException ex) {
				// the server is going away too
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
