package dev.mcpconnector.authorization;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One loopback HTTP server that replays real providers' published documents. Every document is
 * registered under its real https URL and served with each {@code https://<host>} rewritten to
 * {@code http://127.0.0.1:<port>/<host>}; a request is mapped back the same way, the well-known
 * prefix included ({@code /.well-known/x/<host>/<path>} is {@code https://<host>/.well-known/x/<path>}),
 * so the connector asks for exactly the URLs it would ask the real provider for. Authorization,
 * token, registration and JWK set endpoints and small MCP servers (one {@code echo} tool, bearer
 * tokens this stub issued) are behaviours registered the same way.
 */
final class ProviderShapeStub implements AutoCloseable {

	/** An answer: status, JSON body (real URLs, rewritten when served) and extra headers. */
	record Answer(int status, String body, Map<String, String> headers) {

		static Answer json(String body) {
			return new Answer(200, body, Map.of());
		}

	}

	@FunctionalInterface
	interface Behaviour {

		Answer answer(Map<String, String> query, String body);

	}

	private final HttpServer server;

	private final String base;

	private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();

	private final Map<String, String> issuedTokens = new ConcurrentHashMap<>();

	private final RSAKey rsa;

	private final KeyPair ed25519;

	private volatile String lastNonce;

	private volatile String lastClientId;

	private volatile String lastScope;

	ProviderShapeStub() throws Exception {
		this.rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		this.ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** A real https URL as the connector sees it on this stub. */
	String local(String realUrl) {
		return realUrl.replaceAll("https://([A-Za-z0-9.-]+)", this.base.replace("$", "\\$") + "/$1");
	}

	void document(String realUrl, String json) {
		this.routes.put(realUrl, (query, body) -> Answer.json(json));
	}

	void behaviour(String realUrl, Behaviour behaviour) {
		this.routes.put(realUrl, behaviour);
	}

	/**
	 * An authorization endpoint that approves at once (code, state and, when asked, RFC 9207
	 * iss), provided the request carries PKCE S256, {@code resource} and {@code state}; a
	 * request without them gets no redirect, so the suite fails.
	 */
	void authorizationEndpoint(String realUrl, String issuerForIss) {
		behaviour(realUrl, (query, body) -> {
			if (!"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
					|| query.get("resource") == null || query.get("state") == null) {
				throw new IllegalStateException("an authorization request without PKCE S256, resource or state: " + query);
			}
			this.lastNonce = query.get("nonce");
			this.lastClientId = query.get("client_id");
			this.lastScope = query.get("scope");
			String location = query.get("redirect_uri") + "?code=code-" + UUID.randomUUID() + "&state="
					+ enc(query.get("state")) + ((issuerForIss != null) ? "&iss=" + enc(local(issuerForIss)) : "");
			return new Answer(302, "", Map.of("Location", location));
		});
	}

	/**
	 * A token endpoint that redeems any code sent with a PKCE verifier; an ID token (signed with
	 * {@code alg}, RS256 or EdDSA) when {@code openid} was asked for and {@code idTokenIssuer} is set.
	 */
	void tokenEndpoint(String realUrl, String idTokenIssuer, String alg, boolean refreshTokens) {
		behaviour(realUrl, (query, body) -> {
			Map<String, String> form = form(body);
			if (form.get("code_verifier") == null && "authorization_code".equals(form.get("grant_type"))) {
				return new Answer(400, "{\"error\":\"invalid_request\",\"error_description\":\"code_verifier required\"}",
						Map.of());
			}
			String token = "at-" + UUID.randomUUID();
			this.issuedTokens.put(token, realUrl);
			String idToken = "";
			if (idTokenIssuer != null && this.lastScope != null && this.lastScope.contains("openid")) {
				idToken = ",\"id_token\":\"" + idToken(local(idTokenIssuer), alg) + "\"";
			}
			// Without refresh tokens, a token that does not expire (GitHub OAuth apps by default).
			return Answer.json("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\""
					+ (refreshTokens ? ",\"expires_in\":3600,\"refresh_token\":\"rt-" + UUID.randomUUID() + "\"" : "")
					+ idToken + "}");
		});
	}

	/** A registration endpoint that registers anyone (RFC 7591), echoing the requested method. */
	void openRegistration(String realUrl) {
		behaviour(realUrl, (query, body) -> {
			String method = body.replaceAll("(?s).*\"token_endpoint_auth_method\"\\s*:\\s*\"([^\"]*)\".*", "$1");
			return new Answer(201, "{\"client_id\":\"dcr-" + UUID.randomUUID() + "\",\"client_secret\":\"dcr-secret\","
					+ "\"token_endpoint_auth_method\":\"" + method + "\",\"redirect_uris\":[],"
					+ "\"grant_types\":[\"authorization_code\",\"refresh_token\"]}", Map.of());
		});
	}

	void jwks(String realUrl) {
		byte[] encoded = this.ed25519.getPublic().getEncoded();
		OctetKeyPair ed = new OctetKeyPair.Builder(Curve.Ed25519,
				Base64URL.encode(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)))
			.keyID("ed-1")
			.keyUse(KeyUse.SIGNATURE)
			.build();
		document(realUrl, new JWKSet(java.util.List.of(this.rsa.toPublicJWK(), ed)).toString());
	}

	/**
	 * A small MCP server (Streamable HTTP, one {@code echo} tool) that wants a bearer token this
	 * stub issued and otherwise answers 401 naming its resource metadata.
	 */
	void mcpServer(String realUrl, String realResourceMetadataUrl) {
		behaviour(realUrl, (query, body) -> {
			throw new IllegalStateException("answered in handle");
		});
		this.mcpServers.put(realUrl, realResourceMetadataUrl);
	}

	private final Map<String, String> mcpServers = new ConcurrentHashMap<>();

	private String idToken(String issuer, String alg) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.subject("user-1")
			.audience(this.lastClientId)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.claim("nonce", this.lastNonce)
			.claim("name", "Pat Provider")
			.claim("email", "pat@provider.example")
			.build();
		try {
			if ("EdDSA".equals(alg)) {
				Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
				String input = b64.encodeToString("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}".getBytes(StandardCharsets.UTF_8))
						+ "." + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
				Signature signature = Signature.getInstance("Ed25519");
				signature.initSign(this.ed25519.getPrivate());
				signature.update(input.getBytes(StandardCharsets.US_ASCII));
				return input + "." + b64.encodeToString(signature.sign());
			}
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
			jwt.sign(new RSASSASigner(this.rsa));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The real URL a request on this stub stands for. */
	private static String realUrl(String path) {
		String[] segments = path.substring(1).split("/", -1);
		if (segments.length >= 3 && segments[0].equals(".well-known")) {
			String rest = String.join("/", Arrays.copyOfRange(segments, 3, segments.length));
			return "https://" + segments[2] + "/.well-known/" + segments[1] + (rest.isEmpty() ? "" : "/" + rest);
		}
		return "https://" + path.substring(1);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			String real = realUrl(exchange.getRequestURI().getPath());
			Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
			if (this.mcpServers.containsKey(real)) {
				mcp(exchange, real, body);
				return;
			}
			Behaviour behaviour = this.routes.get(real);
			Answer answer = (behaviour != null) ? behaviour.answer(query, body)
					: new Answer(404, "{\"error\":\"not_found\"}", Map.of());
			send(exchange, answer);
		}
	}

	private void mcp(HttpExchange exchange, String real, String body) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || !authorization.startsWith("Bearer ")
				|| !this.issuedTokens.containsKey(authorization.substring(7))) {
			send(exchange, new Answer(401, "{\"error\":\"invalid_token\"}", Map.of("WWW-Authenticate",
					"Bearer error=\"invalid_token\", resource_metadata=\"" + this.mcpServers.get(real) + "\"")));
			return;
		}
		if (!body.contains("\"id\"")) {
			exchange.sendResponseHeaders(202, -1);
			return;
		}
		String id = body.replaceAll("(?s).*\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+).*", "$1");
		String result;
		if (body.contains("\"initialize\"")) {
			String version = body.matches("(?s).*\"protocolVersion\"\\s*:\\s*\"[0-9-]{10}\".*")
					? body.replaceAll("(?s).*\"protocolVersion\"\\s*:\\s*\"([0-9-]{10})\".*", "$1") : "2025-11-25";
			result = "{\"protocolVersion\":\"" + version
					+ "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"stub\",\"version\":\"1\"}}";
		}
		else if (body.contains("\"tools/list\"")) {
			result = "{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}]}";
		}
		else if (body.contains("\"tools/call\"")) {
			result = "{\"content\":[{\"type\":\"text\",\"text\":\"echoed\"}]}";
		}
		else {
			result = "{}";
		}
		send(exchange, Answer.json("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}"));
	}

	private void send(HttpExchange exchange, Answer answer) throws IOException {
		answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, local(value)));
		if (answer.status() == 302) {
			exchange.sendResponseHeaders(302, -1);
			return;
		}
		byte[] bytes = local(answer.body()).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(answer.status(), bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static Map<String, String> form(String raw) {
		Map<String, String> values = new java.util.LinkedHashMap<>();
		if (raw != null && !raw.isEmpty()) {
			for (String pair : raw.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					values.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
							java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return values;
	}

	private static String enc(String value) {
		return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}
