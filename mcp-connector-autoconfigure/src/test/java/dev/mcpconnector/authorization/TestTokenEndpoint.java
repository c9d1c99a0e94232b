package dev.mcpconnector.authorization;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;

/**
 * A real authorization server's token, revocation and (identity provider) token exchange
 * endpoints on loopback, answering what a test tells it and recording every request it got.
 */
final class TestTokenEndpoint implements AutoCloseable {

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final AtomicReference<Function<Request, Response>> responder = new AtomicReference<>(
			(request) -> Response.tokens("access-1", "refresh-1", 3600));

	TestTokenEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** Answer every following request with this function's response. */
	void respond(Function<Request, Response> responder) {
		this.responder.set(responder);
	}

	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	URI url(String path) {
		return URI.create(issuer() + path);
	}

	/** Checked metadata of this server, as discovery would have produced it. */
	AuthorizationServerMetadata metadata() {
		return metadata(Set.of());
	}

	/** The same, advertising these {@code dpop_signing_alg_values_supported}. */
	AuthorizationServerMetadata metadata(Set<String> dpopAlgorithms) {
		return new AuthorizationServerMetadata(issuer(), url("/authorize"), url("/token"), null, url("/revoke"),
				List.of("S256"), Set.of("read", "write", "offline_access"), List.of("client_secret_basic"),
				Set.of("authorization_code", "refresh_token", "client_credentials"), true, false, null, null, Set.of(),
				AuthorizationServerMetadata.Source.OAUTH_METADATA, dpopAlgorithms);
	}

	/** A guarded client that may reach this loopback server over plain HTTP. */
	static EgressHttpClient http() {
		return new EgressHttpClient(new EgressPolicy(true, Set.of()), Duration.ofSeconds(2), Duration.ofSeconds(5),
				1024 * 1024, 0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Request request = new Request(exchange.getRequestURI().getPath(), form(body),
				exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("DPoP"));
		this.requests.add(request);
		Response response = this.responder.get().apply(request);
		byte[] bytes = response.json().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.getResponseHeaders().add("Cache-Control", "no-store");
		response.headers().forEach(exchange.getResponseHeaders()::add);
		exchange.sendResponseHeaders(response.status(), (bytes.length > 0) ? bytes.length : -1);
		if (bytes.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		exchange.close();
	}

	private static Map<String, String> form(String body) {
		Map<String, String> params = new LinkedHashMap<>();
		if (body.isEmpty()) {
			return params;
		}
		for (String pair : body.split("&")) {
			int eq = pair.indexOf('=');
			params.put(URLDecoder.decode((eq >= 0) ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8),
					(eq >= 0) ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "");
		}
		return params;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	record Request(String path, Map<String, String> form, String authorization, String dpop) {

		String param(String name) {
			return this.form.get(name);
		}

	}

	record Response(int status, String json, Map<String, String> headers) {

		Response(int status, String json) {
			this(status, json, Map.of());
		}

		static Response tokens(String accessToken, String refreshToken, long expiresIn) {
			return new Response(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
					+ expiresIn + ((refreshToken != null) ? ",\"refresh_token\":\"" + refreshToken + "\"" : "") + "}");
		}

		static Response error(int status, String error) {
			return new Response(status, "{\"error\":\"" + error + "\"}");
		}

		static Response ok() {
			return new Response(200, "");
		}

	}

}
