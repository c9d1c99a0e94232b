package dev.mcpconnector.test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import dev.mcpconnector.authorization.AuthorizationOutcome;
import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 2026-07-28 MCP server nobody here wrote: {@code test-peers/modern-peer.mjs} on the TypeScript
 * SDK v2 ({@code @modelcontextprotocol/server} 2.4.0, pinned in test-peers' lock file), run by
 * {@link NodePeer} on 127.0.0.1, whose bearer tokens are the JWTs of a {@link DemoServer}'s Spring
 * Authorization Server (checked against its JWKS: signature, {@code iss}, {@code aud} = this
 * peer's {@link #mcpUrl()}, {@code exp}). Each caller also sees a tool of its own,
 * {@code mine_<token subject>}. Its protected-resource metadata names the demo's issuer
 * and {@code scopes_supported: [mcp:tools]}; {@code read_report} needs {@code mcp:read} too (403
 * {@code insufficient_scope}); {@code confirm_action} answers {@code input_required} with a form
 * elicitation {@code {confirmed: boolean}}; {@code enable_extra} / {@code disable_extra} add and
 * remove the tool {@code extra} and publish {@code notifications/tools/list_changed};
 * {@link #trust(DemoServer)} switches it to another authorization server.
 *
 * <pre>{@code
 * try (DemoServer demo = DemoServer.start(); TestModernPeer peer = TestModernPeer.start(demo)) {
 * 	String token = TestModernPeer.accessToken(demo, "alice", peer.mcpUrl(), "mcp:tools");
 * }
 * }</pre>
 */
public final class TestModernPeer implements AutoCloseable {

	/** What the peer's tools/list holds while {@code extra} is disabled. */
	public static final List<String> TOOLS = List.of("echo", "whoami", "read_report", "confirm_action", "tag",
			"enable_extra", "disable_extra");

	private static final String REDIRECT_URI = "http://127.0.0.1:8080/callback";

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final NodePeer node;

	private final int port;

	private TestModernPeer(NodePeer node, int port) {
		this.node = node;
		this.port = port;
	}

	/**
	 * Starts the peer on a free port of 127.0.0.1, trusting {@code demo}'s issuer.
	 * @param demo the authorization server
	 * @return the running peer
	 */
	public static TestModernPeer start(DemoServer demo) {
		return start(demo, Map.of());
	}

	/**
	 * Starts the peer with more environment: {@code TOOLS_TTL_MS} makes its {@code tools/list}
	 * results say that {@code ttlMs} with {@code cacheScope: private} (otherwise the SDK's
	 * {@code 0} / {@code private}).
	 * @param demo the authorization server
	 * @param environment more variables for the node process
	 * @return the running peer
	 */
	public static TestModernPeer start(DemoServer demo, Map<String, String> environment) {
		int port = NodePeer.freePort();
		Map<String, String> all = new LinkedHashMap<>(environment);
		all.put("PORT", String.valueOf(port));
		all.put("ISSUER", demo.issuer());
		NodePeer node = NodePeer.start("modern-peer-" + port, List.of("modern-peer.mjs"), all, port);
		return new TestModernPeer(node, port);
	}

	/** @return {@code http://127.0.0.1:<port>/mcp}, also the {@code aud} its tokens must carry */
	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + "/mcp";
	}

	/** @return {@code http://127.0.0.1:<port>/.well-known/oauth-protected-resource/mcp} */
	public String resourceMetadataUrl() {
		return "http://127.0.0.1:" + this.port + "/.well-known/oauth-protected-resource/mcp";
	}

	/** @return the node process, for its log */
	public NodePeer node() {
		return this.node;
	}

	/**
	 * What the peer received so far: {@code methods} (authorized MCP POSTs by {@code Mcp-Method}),
	 * {@code subjects} (the token subject of each), {@code rejected} (requests answered 401/403 by
	 * the bearer check).
	 * @return the peer's {@code /_peer/stats}
	 */
	public JsonNode stats() {
		return JsonMapper.shared().readTree(get(URI.create("http://127.0.0.1:" + this.port + "/_peer/stats")).body());
	}

	/** @return how many authorized POSTs named {@code method} in {@code Mcp-Method} */
	public int received(String method) {
		JsonNode count = stats().path("methods").path(method);
		return count.isMissingNode() ? 0 : count.asInt();
	}

	/**
	 * An access token from the demo's authorization server for {@code resource}, through the
	 * authorization-code grant with PKCE as the demo's pre-registered client, the user logging in
	 * with password = username.
	 * @param demo the authorization server
	 * @param user {@code alice} or {@code bob}
	 * @param resource the RFC 8707 resource (the token's {@code aud})
	 * @param scope space-separated scopes
	 * @return the access token
	 */
	public static String accessToken(DemoServer demo, String user, String resource, String scope) {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		Map<String, String> authorize = new LinkedHashMap<>();
		authorize.put("response_type", "code");
		authorize.put("client_id", demo.clientId());
		authorize.put("redirect_uri", REDIRECT_URI);
		authorize.put("scope", scope);
		authorize.put("state", "s1");
		authorize.put("code_challenge", s256(verifier));
		authorize.put("code_challenge_method", "S256");
		authorize.put("resource", resource);
		URI redirect = new DemoBrowser(user, user).authorize(demo.issuer() + "/oauth2/authorize?" + form(authorize));
		Map<String, String> exchange = new LinkedHashMap<>();
		exchange.put("grant_type", "authorization_code");
		exchange.put("code", DemoBrowser.queryParameter(redirect, "code"));
		exchange.put("redirect_uri", REDIRECT_URI);
		exchange.put("code_verifier", verifier);
		exchange.put("resource", resource);
		HttpRequest request = HttpRequest.newBuilder(URI.create(demo.issuer() + "/oauth2/token"))
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((demo.clientId() + ":" + demo.clientSecret()).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(exchange)))
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("token request: HTTP " + response.statusCode() + " " + response.body());
		}
		return JsonMapper.shared().readTree(response.body()).get("access_token").asString();
	}

	/**
	 * Makes the peer trust another authorization server from its next request on: its
	 * protected-resource metadata names {@code demo}'s issuer and tokens of the previous one
	 * are 401 (SEP-2352's migration).
	 * @param demo the authorization server to trust
	 */
	public void trust(DemoServer demo) {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/_peer/issuer"))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"issuer\":\"" + demo.issuer() + "\"}"))
			.build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("/_peer/issuer: HTTP " + response.statusCode() + " " + response.body());
		}
	}

	/**
	 * Plays {@code user}'s consent at the demo (password = username) and completes the
	 * authorization through the service, as the callback would.
	 * @param authorization the connector's authorization service
	 * @param owner the connection's owner
	 * @param user {@code alice} or {@code bob}
	 * @param authorizationUrl the URL the connector asked the user to open
	 */
	public static void consent(McpAuthorizationService authorization, McpOwner owner, String user,
			URI authorizationUrl) {
		URI redirect = new DemoBrowser(user, user).authorize(authorizationUrl);
		AuthorizationOutcome outcome = authorization.complete(owner,
				new CallbackParameters(DemoBrowser.queryParameter(redirect, "code"),
						DemoBrowser.queryParameter(redirect, "state"), DemoBrowser.queryParameter(redirect, "iss"), null,
						null));
		if (!outcome.isSuccess()) {
			throw new IllegalStateException("authorization outcome " + outcome.error());
		}
	}

	/** Stops the node process. */
	@Override
	public void close() {
		this.node.close();
	}

	@Override
	public String toString() {
		return "TestModernPeer[" + mcpUrl() + "]";
	}

	private static HttpResponse<String> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String s256(String verifier) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String form(Map<String, String> params) {
		StringJoiner joiner = new StringJoiner("&");
		params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(v, StandardCharsets.UTF_8)));
		return joiner.toString();
	}

}
