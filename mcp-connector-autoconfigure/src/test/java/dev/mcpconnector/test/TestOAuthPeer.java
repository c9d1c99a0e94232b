package dev.mcpconnector.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpconnector.authorization.McpAuthorizationService;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that plays an OAuth-protected MCP server and its authorization
 * server, and can be told to misbehave the ways attackers and broken servers do: metadata for
 * another resource, an issuer that differs, a wrong or missing {@code iss}. It records every
 * request, so a test can prove that no token request was sent. Its secrets are random sentinels
 * that leak tests look for.
 */
public final class TestOAuthPeer implements AutoCloseable {

	/** How the MCP endpoint misbehaves once a caller is authorized. */
	public enum McpFault {

		NONE, STATUS_500, SLOW, MALFORMED_JSON, OVERSIZED

	}

	/** How the ID token the token endpoint issues is forged, when it is an OpenID provider. */
	public enum IdTokenForgery {

		/** A valid ID token. */
		NONE,
		/** Signed with another key under the same key id. */
		WRONG_KEY,
		/** {@code aud} names another client. */
		WRONG_AUDIENCE,
		/** {@code iss} names another issuer. */
		WRONG_ISSUER,
		/** {@code nonce} is not the one the authorization request sent. */
		WRONG_NONCE,
		/** {@code nonce} is missing. */
		NO_NONCE,
		/** {@code exp} passed ten minutes ago. */
		EXPIRED,
		/** {@code alg: none}. */
		UNSIGNED,
		/** HS256 with the client secret as the key (algorithm confusion). */
		HMAC

	}

	/** How the authorization endpoint fills in RFC 9207 {@code iss}. */
	public enum IssMode {

		CORRECT, NONE, WRONG

	}

	private final HttpServer server;

	private final String base;

	public final String accessToken = "sentinel-access-" + UUID.randomUUID();

	public final String refreshToken = "sentinel-refresh-" + UUID.randomUUID();

	public final String code = "sentinel-code-" + UUID.randomUUID();

	public final String clientSecret = "sentinel-secret-" + UUID.randomUUID();

	public volatile String prmResource;

	public volatile String metadataIssuer;

	public volatile boolean issParameterSupported = true;

	/** Advertise {@code client_id_metadata_document_supported}, so the app's public CIMD client is used. */
	public volatile boolean clientIdMetadataDocumentSupported;

	public volatile IssMode issMode = IssMode.CORRECT;

	public volatile String authorizeError;

	public volatile int accessTokenLifetime = 3600;

	public volatile McpFault mcpFault = McpFault.NONE;

	/**
	 * Speak only the HTTP+SSE transport of MCP 2024-11-05 at {@code /mcp}: a GET opens the event
	 * stream, whose {@code endpoint} event names {@code /mcp/messages}; a POST to {@code /mcp}
	 * is 405 once authorized.
	 */
	public volatile boolean legacySse;

	/**
	 * Speak only MCP 2026-07-28 at {@code /mcp}, as a server without a 2025 fallback does: a
	 * {@code server/discover} names 2026-07-28, an {@code initialize} is HTTP 400 with the
	 * unsupported-version error (-32022), every other request is answered statelessly (no
	 * session). The faults of {@link #mcpFault} hit every request but {@code server/discover},
	 * as they spare {@code initialize} otherwise.
	 */
	public volatile boolean modern;

	/** More tool definitions (JSON objects, comma-separated) that tools/list shows after echo. */
	public volatile String extraTools = "";

	/** Access tokens numbered below this are refused (as if revoked). */
	public volatile int acceptTokensFrom;

	private final Map<String, java.util.concurrent.BlockingQueue<String>> sseSessions = new java.util.concurrent.ConcurrentHashMap<>();

	/** Answer token requests with HTTP 500. */
	public volatile boolean tokenEndpointFails;

	/** How long the token endpoint takes before it answers, in milliseconds. */
	public volatile int tokenDelayMillis;

	/**
	 * When set, {@code tools/call} is answered with a JSON-RPC error carrying this message
	 * (written into the JSON as it is, so the escapes {@code \r\n} arrive as CR LF).
	 */
	public volatile String toolCallErrorMessage;

	/** Where the 401 challenge's {@code resource_metadata} points; the peer's own by default. */
	public volatile String resourceMetadataUrl;

	/** The issuer the resource metadata names; the peer's own by default. */
	public volatile String authorizationServer;

	/** When set, the resource metadata URL answers with a redirect to it. */
	public volatile String resourceMetadataRedirect;

	public volatile String authorizationEndpoint;

	public volatile String tokenEndpoint;

	public volatile String registrationEndpoint;

	/**
	 * Play an OpenID provider: {@code openid profile email} in {@code scopes_supported}, a
	 * {@code jwks_uri}, and an ID token in token responses when {@code openid} was asked for.
	 */
	public volatile boolean oidc;

	public volatile IdTokenForgery idTokenForgery = IdTokenForgery.NONE;

	/** The {@code sub} of the ID tokens it issues. */
	public volatile String idTokenSubject = "peer-user-1";

	/** The {@code name} of the ID tokens it issues, or {@code null} for none. */
	public volatile String idTokenName = "Pat Peer";

	/** Whether a refresh also returns an ID token (when the grant asked for {@code openid}). */
	public volatile boolean idTokenOnRefresh = true;

	/** When set, the JWK set URL answers with a redirect to it. */
	public volatile String jwksRedirect;

	private final RSAKey signingKey = newRsaKey();

	private final RSAKey forgingKey = newRsaKey();

	private volatile String lastNonce;

	private volatile String lastScope;

	private final List<String> idTokens = new CopyOnWriteArrayList<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final List<String> bearerTokensSeen = new CopyOnWriteArrayList<>();

	private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();

	private final AtomicInteger revocations = new AtomicInteger();

	private final List<String> rpcMethods = new CopyOnWriteArrayList<>();

	/** Tool calls as they arrive, before any fault (a slow answer) delays them. */
	private final java.util.concurrent.atomic.AtomicInteger toolCallsArrived = new java.util.concurrent.atomic.AtomicInteger();

	private final AtomicInteger issued = new AtomicInteger();

	public TestOAuthPeer() {
		this("127.0.0.1", null);
	}

	/**
	 * A peer on the given loopback address, over HTTPS when a TLS context is given.
	 * @param bindAddress the address, such as 127.0.0.2
	 * @param tls the server TLS context, or {@code null} for plain http
	 */
	public TestOAuthPeer(String bindAddress, javax.net.ssl.SSLContext tls) {
		try {
			if (tls != null) {
				com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer
					.create(new InetSocketAddress(bindAddress, 0), 0);
				https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
				this.server = https;
			}
			else {
				this.server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.base = ((tls != null) ? "https://" : "http://") + bindAddress + ":" + this.server.getAddress().getPort();
		this.prmResource = mcpUrl();
		this.metadataIssuer = issuer();
		this.resourceMetadataUrl = this.base + "/.well-known/oauth-protected-resource/mcp";
		this.authorizationServer = this.base;
		this.authorizationEndpoint = this.base + "/authorize";
		this.tokenEndpoint = this.base + "/token";
		this.registrationEndpoint = this.base + "/register";
		this.server.setExecutor(Executors.newFixedThreadPool(16));
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	public String issuer() {
		return this.base;
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public String mcpUrl() {
		return this.base + "/mcp";
	}

	public List<String> requests() {
		return Collections.unmodifiableList(this.requests);
	}

	/** The JSON-RPC method of every message the MCP endpoint answered, in order. */
	/** Tool calls that arrived so far, answered or not (a {@link McpFault#SLOW} one is still waiting). */
	public int toolCallsArrived() {
		return this.toolCallsArrived.get();
	}

	public List<String> rpcMethods() {
		return Collections.unmodifiableList(this.rpcMethods);
	}

	/** Every Authorization header the MCP endpoint received. */
	public List<String> bearerTokensSeen() {
		return Collections.unmodifiableList(this.bearerTokensSeen);
	}

	public List<Map<String, String>> tokenRequests() {
		return Collections.unmodifiableList(this.tokenRequests);
	}

	public int revocations() {
		return this.revocations.get();
	}

	/** Every secret this peer issued or received, for leak checks. */
	public List<String> secrets() {
		List<String> secrets = new ArrayList<>(List.of(this.accessToken, this.refreshToken, this.code, this.clientSecret));
		for (int i = 1; i <= this.issued.get(); i++) {
			secrets.add(this.accessToken + "-" + i);
			secrets.add(this.refreshToken + "-" + i);
		}
		this.tokenRequests.forEach((request) -> {
			if (request.get("code_verifier") != null) {
				secrets.add(request.get("code_verifier"));
			}
		});
		secrets.addAll(this.idTokens);
		return secrets;
	}

	/** Every ID token this peer issued. */
	public List<String> idTokens() {
		return Collections.unmodifiableList(this.idTokens);
	}

	/** The {@code nonce} of the last authorization request, or {@code null}. */
	public String lastNonce() {
		return this.lastNonce;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			this.requests.add(exchange.getRequestMethod() + " " + path);
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			switch (path) {
				case "/mcp" -> {
					if (this.legacySse) {
						legacySse(exchange);
					}
					else {
						mcp(exchange, new String(body, StandardCharsets.UTF_8));
					}
				}
				case "/mcp/messages" -> legacySseMessage(exchange, new String(body, StandardCharsets.UTF_8));
				case "/.well-known/oauth-protected-resource/mcp" -> {
					if (this.resourceMetadataRedirect != null) {
						exchange.getResponseHeaders().add("Location", this.resourceMetadataRedirect);
						exchange.sendResponseHeaders(302, -1);
					}
					else {
						json(exchange, 200, """
								{"resource":"%s","authorization_servers":[%s],"scopes_supported":["mcp:tools"]}"""
							.formatted(this.prmResource, jsonString(this.authorizationServer)));
					}
				}
				case "/.well-known/oauth-authorization-server" -> json(exchange, 200, """
						{"issuer":"%s","authorization_endpoint":%s,"token_endpoint":%s,
						"registration_endpoint":%s,"revocation_endpoint":"%s/revoke",
						"response_types_supported":["code"],"grant_types_supported":["authorization_code","refresh_token"],
						"code_challenge_methods_supported":["S256"],
						"token_endpoint_auth_methods_supported":["client_secret_basic"],
						"scopes_supported":["mcp:tools","offline_access"%s],
						"client_id_metadata_document_supported":%s,
						"authorization_response_iss_parameter_supported":%s%s}"""
					.formatted(this.metadataIssuer, jsonString(this.authorizationEndpoint), jsonString(this.tokenEndpoint),
							jsonString(this.registrationEndpoint), this.base,
							this.oidc ? ",\"openid\",\"profile\",\"email\"" : "", this.clientIdMetadataDocumentSupported,
							this.issParameterSupported,
							this.oidc ? ",\"jwks_uri\":\"" + this.base + "/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\"]"
									: ""));
				case "/jwks" -> {
					if (this.jwksRedirect != null) {
						exchange.getResponseHeaders().add("Location", this.jwksRedirect);
						exchange.sendResponseHeaders(302, -1);
					}
					else {
						json(exchange, 200, new JWKSet(this.signingKey.toPublicJWK()).toString());
					}
				}
				case "/register" -> json(exchange, 201, """
						{"client_id":"peer-client","client_secret":"%s","token_endpoint_auth_method":"client_secret_basic",
						"redirect_uris":[],"grant_types":["authorization_code","refresh_token"]}""".formatted(this.clientSecret));
				case "/authorize" -> authorize(exchange);
				case "/token" -> token(exchange, form(new String(body, StandardCharsets.UTF_8)));
				case "/revoke" -> {
					this.revocations.incrementAndGet();
					json(exchange, 200, "{}");
				}
				default -> json(exchange, 404, "{\"error\":\"not_found\"}");
			}
		}
	}

	private boolean authorized(HttpExchange exchange) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization != null) {
			this.bearerTokensSeen.add(authorization);
		}
		boolean valid = authorization != null && authorization.startsWith("Bearer " + this.accessToken)
				&& tokenNumber(authorization) >= this.acceptTokensFrom;
		if (!valid) {
			exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\", resource_metadata=\""
					+ this.resourceMetadataUrl.replace("\"", "%22") + "\"");
			json(exchange, 401, "{\"error\":\"invalid_token\"}");
		}
		return valid;
	}

	/** Issued tokens are {@code <accessToken>-<n>}; the bare prefix (stored by a test itself) is 0. */
	private int tokenNumber(String authorization) {
		String suffix = authorization.substring(("Bearer " + this.accessToken).length());
		return suffix.matches("-\\d{1,9}") ? Integer.parseInt(suffix.substring(1)) : 0;
	}

	private void legacySse(HttpExchange exchange) throws IOException {
		if (!authorized(exchange)) {
			return;
		}
		if (!"GET".equals(exchange.getRequestMethod())) {
			exchange.sendResponseHeaders(405, -1);
			return;
		}
		String session = UUID.randomUUID().toString();
		java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
		this.sseSessions.put(session, messages);
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		try (java.io.OutputStream out = exchange.getResponseBody()) {
			out.write(("event: endpoint\ndata: /mcp/messages?session=" + session + "\n\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			while (true) {
				String message = messages.poll(1, java.util.concurrent.TimeUnit.SECONDS);
				if (message != null) {
					out.write(("event: message\ndata: " + message + "\n\n").getBytes(StandardCharsets.UTF_8));
				}
				else {
					out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
				}
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// the client closed the stream
		}
		finally {
			this.sseSessions.remove(session);
		}
	}

	private void legacySseMessage(HttpExchange exchange, String body) throws IOException {
		if (!authorized(exchange)) {
			return;
		}
		String session = form(exchange.getRequestURI().getRawQuery()).get("session");
		java.util.concurrent.BlockingQueue<String> messages = (session != null) ? this.sseSessions.get(session) : null;
		if (messages == null) {
			json(exchange, 404, "{\"error\":\"no such session\"}");
			return;
		}
		String answer = rpcAnswer(body);
		if (answer != null) {
			messages.add(answer);
		}
		exchange.sendResponseHeaders(202, -1);
	}

	private void mcp(HttpExchange exchange, String body) throws IOException {
		if (!authorized(exchange)) {
			return;
		}
		if (!body.contains("\"id\"")) {
			exchange.sendResponseHeaders(202, -1);
			return;
		}
		if (this.modern && body.contains("\"initialize\"")) {
			this.rpcMethods.add("initialize");
			String id = body.replaceAll("(?s).*\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+).*", "$1");
			json(exchange, 400, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32022,"
					+ "\"message\":\"Unsupported protocol version\",\"data\":{\"supported\":[\"2026-07-28\"]}}}");
			return;
		}
		if (body.contains("\"tools/call\"")) {
			this.toolCallsArrived.incrementAndGet();
		}
		if (!body.contains("\"initialize\"") && !(this.modern && body.contains("\"server/discover\""))) {
			switch (this.mcpFault) {
				case STATUS_500 -> {
					json(exchange, 500, "{\"error\":\"boom\"}");
					return;
				}
				case SLOW -> {
					try {
						Thread.sleep(3000);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				case MALFORMED_JSON -> {
					json(exchange, 200, "{\"jsonrpc\":\"2.0\", this is not json");
					return;
				}
				case OVERSIZED -> {
					json(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}}");
					return;
				}
				default -> {
				}
			}
		}
		json(exchange, 200, rpcAnswer(body));
	}

	/** The JSON-RPC answer to a request, or {@code null} for a notification. */
	private String rpcAnswer(String body) {
		this.rpcMethods.add(body.replaceAll("(?s).*\"method\"\\s*:\\s*\"([^\"]*)\".*", "$1"));
		if (!body.contains("\"id\"")) {
			return null;
		}
		String id = body.replaceAll("(?s).*\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+).*", "$1");
		String result;
		if (this.modern && body.contains("\"server/discover\"")) {
			result = "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},"
					+ "\"serverInfo\":{\"name\":\"peer\",\"version\":\"1\"}}";
		}
		else if (body.contains("\"initialize\"")) {
			// The version the client asked for, as a server that supports it answers.
			String version = body.matches("(?s).*\"protocolVersion\"\\s*:\\s*\"[0-9-]{10}\".*")
					? body.replaceAll("(?s).*\"protocolVersion\"\\s*:\\s*\"([0-9-]{10})\".*", "$1") : "2025-11-25";
			result = "{\"protocolVersion\":\"" + version
					+ "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"peer\",\"version\":\"1\"}}";
		}
		else if (body.contains("\"tools/list\"")) {
			result = "{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}}"
					+ (this.extraTools.isEmpty() ? "" : "," + this.extraTools) + "]}";
		}
		else if (body.contains("\"tools/call\"") && this.toolCallErrorMessage != null) {
			return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32603,\"message\":\""
					+ this.toolCallErrorMessage + "\"}}";
		}
		else if (body.contains("\"tools/call\"")) {
			result = "{\"content\":[{\"type\":\"text\",\"text\":\"echoed\"}]}";
		}
		else {
			result = "{}";
		}
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
	}

	private void authorize(HttpExchange exchange) throws IOException {
		Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
		this.lastNonce = query.get("nonce");
		this.lastScope = query.get("scope");
		StringBuilder location = new StringBuilder(query.get("redirect_uri"));
		location.append('?');
		if (this.authorizeError != null) {
			location.append("error=").append(enc(this.authorizeError)).append("&error_description=")
				.append(enc("<script>alert('sentinel-description')</script>"));
		}
		else {
			location.append("code=").append(enc(this.code));
		}
		if (query.get("state") != null) {
			location.append("&state=").append(enc(query.get("state")));
		}
		switch (this.issMode) {
			case CORRECT -> location.append("&iss=").append(enc(this.base));
			case WRONG -> location.append("&iss=").append(enc("https://evil.example.com"));
			case NONE -> {
			}
		}
		exchange.getResponseHeaders().add("Location", location.toString());
		exchange.sendResponseHeaders(302, -1);
	}

	private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
		this.tokenRequests.add(form);
		if (this.tokenDelayMillis > 0) {
			try {
				Thread.sleep(this.tokenDelayMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.tokenEndpointFails) {
			json(exchange, 500, "{\"error\":\"server_error\"}");
			return;
		}
		String grant = form.get("grant_type");
		if ("authorization_code".equals(grant) && !this.code.equals(form.get("code"))) {
			json(exchange, 400, "{\"error\":\"invalid_grant\"}");
			return;
		}
		if ("refresh_token".equals(grant) && (form.get("refresh_token") == null
				|| !form.get("refresh_token").startsWith(this.refreshToken))) {
			json(exchange, 400, "{\"error\":\"invalid_grant\"}");
			return;
		}
		int n = this.issued.incrementAndGet();
		String idToken = "";
		boolean openid = this.oidc && this.lastScope != null && List.of(this.lastScope.split(" ")).contains("openid");
		if (openid && ("authorization_code".equals(grant) || this.idTokenOnRefresh)) {
			String issuedIdToken = idToken("authorization_code".equals(grant) ? this.lastNonce : null);
			this.idTokens.add(issuedIdToken);
			idToken = ",\"id_token\":\"" + issuedIdToken + "\"";
		}
		json(exchange, 200, """
				{"access_token":"%s-%d","token_type":"Bearer","expires_in":%d,"refresh_token":"%s-%d","scope":"mcp:tools"%s}"""
			.formatted(this.accessToken, n, this.accessTokenLifetime, this.refreshToken, n, idToken));
	}

	private String idToken(String nonce) {
		IdTokenForgery forgery = this.idTokenForgery;
		java.time.Instant now = java.time.Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
			.issuer((forgery == IdTokenForgery.WRONG_ISSUER) ? "https://evil.example.com" : this.base)
			.subject(this.idTokenSubject)
			.audience((forgery == IdTokenForgery.WRONG_AUDIENCE) ? "another-client" : "peer-client")
			.issueTime(java.util.Date.from((forgery == IdTokenForgery.EXPIRED) ? now.minusSeconds(1200) : now))
			.expirationTime(java.util.Date.from((forgery == IdTokenForgery.EXPIRED) ? now.minusSeconds(600)
					: now.plusSeconds(300)))
			.claim("preferred_username", "pat")
			.claim("email", "pat@peer.example");
		if (this.idTokenName != null) {
			claims.claim("name", this.idTokenName);
		}
		if (forgery == IdTokenForgery.WRONG_NONCE) {
			claims.claim("nonce", "forged-" + UUID.randomUUID());
		}
		else if (nonce != null && forgery != IdTokenForgery.NO_NONCE) {
			claims.claim("nonce", nonce);
		}
		try {
			if (forgery == IdTokenForgery.UNSIGNED) {
				return new PlainJWT(claims.build()).serialize();
			}
			if (forgery == IdTokenForgery.HMAC) {
				SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
				jwt.sign(new MACSigner(this.clientSecret.repeat(2).getBytes(StandardCharsets.UTF_8)));
				return jwt.serialize();
			}
			RSAKey key = (forgery == IdTokenForgery.WRONG_KEY) ? this.forgingKey : this.signingKey;
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims.build());
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** RSA keys with the same key id, so a forged signature is told apart by the signature alone. */
	private static RSAKey newRsaKey() {
		try {
			return new RSAKeyGenerator(2048).keyID("peer-key-1").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void json(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	static Map<String, String> form(String raw) {
		Map<String, String> values = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return values;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return values;
	}

	private static String jsonString(String value) {
		StringBuilder sb = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			if (c == '"' || c == '\\') {
				sb.append('\\').append(c);
			}
			else if (c < 0x20) {
				sb.append(String.format("\\u%04x", (int) c));
			}
			else {
				sb.append(c);
			}
		}
		return sb.append('"').toString();
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Follow an authorization URL the way a browser's first hop does, without requesting the
	 * redirect target.
	 * @param authorizationUrl the URL
	 * @return the redirect target, carrying the authorization response
	 */
	public static URI authorizeRedirect(URI authorizationUrl) {
		return authorizeRedirect(authorizationUrl, null);
	}

	/**
	 * Like {@link #authorizeRedirect(URI)}, trusting the given TLS context.
	 * @param authorizationUrl the URL
	 * @param tls the client TLS context, or {@code null}
	 * @return the redirect target
	 */
	public static URI authorizeRedirect(URI authorizationUrl, javax.net.ssl.SSLContext tls) {
		try {
			var builder = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER);
			if (tls != null) {
				builder.sslContext(tls);
			}
			var client = builder.build();
			var response = client.send(java.net.http.HttpRequest.newBuilder(authorizationUrl).GET().build(),
					java.net.http.HttpResponse.BodyHandlers.discarding());
			return URI.create(response.headers().firstValue("Location").orElseThrow());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Link this peer for an owner through the library's own flow, in process: connect, follow
	 * the authorization URL as a browser would, complete the callback.
	 * @param authorization the authorization service
	 * @param owner the owner
	 * @return the connection id
	 */
	public java.util.UUID connectAndConsent(dev.mcpconnector.authorization.McpAuthorizationService authorization,
			dev.mcpconnector.connection.McpOwner owner) {
		dev.mcpconnector.authorization.McpAuthorizationService.AuthorizationStart connect = authorization.connect(owner,
				dev.mcpconnector.connection.NewConnection.of(mcpUrl()), null, URI.create("http://127.0.0.1/callback"));
		URI redirect = authorizeRedirect(connect.authorizationUrl());
		Map<String, String> query = form(redirect.getRawQuery());
		authorization.complete(owner, new dev.mcpconnector.authorization.CallbackParameters(query.get("code"),
				query.get("state"), query.get("iss"), null, null));
		return connect.connection().id();
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}
