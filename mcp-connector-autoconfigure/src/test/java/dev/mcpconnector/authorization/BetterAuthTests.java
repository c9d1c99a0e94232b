package dev.mcpconnector.authorization;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.StoredClientRegistration;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Through the REST API against Better Auth ({@code better-auth} and
 * {@code @better-auth/oauth-provider} 1.7.5 from {@code test-peers/better-auth}, its default keys,
 * so EdDSA/Ed25519 ID tokens and access tokens) as the authorization server of a small MCP server
 * of the TypeScript SDK that accepts its JWT access tokens: dynamic registration (as a
 * {@code native} client, since the callback is http://localhost), sign-in and consent as a
 * browser would, the callback, {@code ACTIVE} with the name and e-mail that only Better Auth's
 * userinfo endpoint has, a tool call, a refresh after the access token expired, and revocation
 * when the connection is deleted.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.authorization.refresh-skew=0s")
@AutoConfigureMockMvc
class BetterAuthTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final JsonMapper json = JsonMapper.shared();

	/** Seconds an access token lives at the peer; short, so that the test sees one expire. */
	private static final int ACCESS_TOKEN_TTL = 6;

	private static NodePeer peer;

	private static String origin;

	private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startBetterAuth() {
		int port = NodePeer.freePort();
		origin = "http://localhost:" + port;
		peer = NodePeer.startIn("better-auth", "better-auth", List.of("server.mjs"),
				Map.of("PORT", String.valueOf(port), "ACCESS_TOKEN_TTL", String.valueOf(ACCESS_TOKEN_TTL)), port);
	}

	@AfterAll
	static void stopBetterAuth() {
		peer.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	ClientRegistrationStore registrations;

	@Test
	void linkCallRefreshAndRevokeThroughRest() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		McpOwner owner = McpOwner.of(alice);
		String issuer = origin + "/api/auth";

		// Connect: discovery, then dynamic registration with Better Auth.
		JsonNode connect = json.readTree(this.mvc
			.perform(post("/api/mcp/connections").with(user(alice))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + origin + "/mcp\",\"name\":\"Better Auth\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
			.andReturn()
			.getResponse()
			.getContentAsString());
		UUID id = UUID.fromString(connect.get("id").asString());
		URI authorizationUrl = URI.create(connect.get("authorizationUrl").asString());
		assertThat(authorizationUrl.getRawQuery()).containsPattern("scope=[^&]*openid").contains("nonce=");
		StoredClientRegistration client = this.registrations.find(issuer).orElseThrow();

		// The browser: sign up at Better Auth, follow the authorization URL to its consent page, consent.
		String session = signUp("Pat Example", "pat-" + UUID.randomUUID() + "@example.com");
		HttpResponse<String> authorize = send(HttpRequest.newBuilder(authorizationUrl).header("Cookie", session).GET());
		URI consentPage = URI.create(origin).resolve(authorize.headers().firstValue("Location").orElseThrow());
		assertThat(consentPage.getPath()).as(authorize.body()).isEqualTo("/consent");
		HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/consent"))
			.header("Cookie", session)
			.header("Origin", origin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"accept\":true,\"oauth_query\":"
					+ json.writeValueAsString(consentPage.getRawQuery()) + "}")));
		URI callback = URI.create(json.readTree(consent.body()).get("url").asString());
		assertThat(callback.getPath()).isEqualTo("/api/mcp/oauth/callback");

		// The callback: code redeemed, the EdDSA ID token verified, name and e-mail from userinfo.
		String email = this.mvc
			.perform(get(URI.create(callback.getPath() + "?" + callback.getRawQuery())).with(user(alice))
				.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"))
			.andExpect(jsonPath("$.connection.status").value("ACTIVE"))
			.andExpect(jsonPath("$.connection.remoteAccount.name").value("Pat Example"))
			.andReturn()
			.getResponse()
			.getContentAsString()
			.transform((body) -> json.readTree(body).at("/connection/remoteAccount/email").asString());
		assertThat(email).startsWith("pat-").endsWith("@example.com");
		assertThat(peerLog()).contains("GET /api/auth/oauth2/userinfo");

		// A tool call with Better Auth's access token.
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"hi\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value("echo: hi"));
		ConnectionCredentials before = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(before.hasRefreshToken()).isTrue();

		// After the access token expired, the next call refreshes it.
		Thread.sleep(Duration.ofSeconds(ACCESS_TOKEN_TTL + 2).toMillis());
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"again\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value("echo: again"));
		ConnectionCredentials after = this.repository.findCredentials(owner, id).orElseThrow();
		assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
		assertThat(peerLog()).contains("POST /api/auth/oauth2/token");
		// The refreshed ID token again lacks name and e-mail; the ones from userinfo stay.
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(alice)))
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.remoteAccount.name").value("Pat Example"))
			.andExpect(jsonPath("$.remoteAccount.email").value(email));

		// Delete: the tokens are revoked at Better Auth, so its refresh token no longer works.
		this.mvc.perform(delete("/api/mcp/connections/" + id).with(user(alice)).with(csrf()))
			.andExpect(status().is2xxSuccessful());
		assertThat(peerLog()).contains("POST /api/auth/oauth2/revoke");
		HttpResponse<String> reuse = send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
			.header("Authorization", basic(client))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
					+ URLEncoder.encode(after.refreshToken(), StandardCharsets.UTF_8))));
		assertThat(reuse.statusCode()).as(reuse.body()).isBetween(400, 401);
		assertThat(reuse.body()).contains("invalid_grant");
	}

	/** Signs a user up with e-mail and password; Better Auth signs it in at once. */
	private String signUp(String name, String email) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(origin + "/api/auth/sign-up/email"))
			.header("Origin", origin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"email\":\"" + email
					+ "\",\"password\":\"correct-horse-battery-staple\"}")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("better-auth.session_token="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst()
			.orElseThrow();
	}

	/** The peer's whole log: Better Auth's routes, one line a request (paths only, no query). */
	private static String peerLog() throws IOException {
		return java.nio.file.Files.readString(peer.log());
	}

	private static String basic(StoredClientRegistration client) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.browser.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
