package dev.mcpconnector.egress;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Isolation suite: two users, each linked to two MCP servers with two different authorization
 * servers. Every token reaches only the server and issuer it belongs to, and every operation of
 * one user on the other's connections answers exactly like a connection that does not exist.
 * Once with servers that speak 2025-11-25 and once with servers that speak only 2026-07-28
 * (stateless: every call carries the user's token, no session to mix up). The application's
 * pre-registered (first-party) client at a corporate issuer serves only the resources it names:
 * another server that names the corporate issuer gets no authorization request with it. Gateway
 * tokens too: another user's token id is a missing one, and a user's token reaches none of
 * another's connections.
 */
@SpringBootTest(classes = TestApplication.class,
		properties = { "mcp.connector.client.max-sessions=3", "mcp.connector.client.max-sessions-per-owner=2",
				"mcp.connector.client.max-concurrent-calls-per-owner=2",
				"mcp.connector.client.max-connections-per-owner=3",
				"mcp.connector.gateway.enabled=true" })
@AutoConfigureMockMvc
class IsolationSuiteTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	/** A corporate authorization server (and MCP server) with a client pre-registered for its resource. */
	private static final TestOAuthPeer corp = new TestOAuthPeer();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
		registry.add("mcp.connector.registration.clients.corp.issuer", corp::issuer);
		registry.add("mcp.connector.registration.clients.corp.client-id", () -> "corp-app");
		registry.add("mcp.connector.registration.clients.corp.client-secret", () -> corp.clientSecret);
		registry.add("mcp.connector.registration.clients.corp.allowed-resources", () -> corp.issuer() + "/m*");
	}

	@AfterAll
	static void stopCorp() {
		corp.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	dev.mcpconnector.registration.ClientRegistrationStore registrations;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpAuthorizationService authorization;

	/**
	 * Per-owner caps: one user's connections, sessions and calls in flight are capped for that
	 * user alone; the N+1th is a 409 or 429 Problem, and no other user's session is closed for it.
	 */
	@Test
	void oneUsersLimitsNeverTakeAnotherUsersSessionsOrCalls() throws Exception {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		String mallory = "mallory-" + UUID.randomUUID();
		try (TestOAuthPeer alices = new TestOAuthPeer(); TestOAuthPeer mallorys = new TestOAuthPeer()) {
			UUID aliceConnection = alices.connectAndConsent(this.authorization, alice);
			this.executor.callTool(alice, aliceConnection, "echo", Map.of("message", "first"));
			long aliceInitializes = alices.rpcMethods().stream().filter("initialize"::equals).count();
			int tried = 0;
			int held = 0;

			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ids.add(connectAndConsent(mallory, mallorys));
			}
			tried++;
			MockHttpServletResponse fourth = this.mvc.perform(post("/api/mcp/connections").with(user(mallory))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + mallorys.mcpUrl() + "\"}")).andReturn().getResponse();
			held += (fourth.getStatus() == 409 && fourth.getContentAsString().contains("connection-limit-reached")) ? 1 : 0;

			// Three sessions of mallory in a pool of three: mallory's own oldest goes, never alice's.
			for (String id : ids) {
				perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(mallory))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{}"), 200);
			}
			tried++;
			held += this.executor.hasSession(alice, aliceConnection) ? 1 : 0;
			this.executor.callTool(alice, aliceConnection, "echo", Map.of("message", "again"));
			tried++;
			held += (alices.rpcMethods().stream().filter("initialize"::equals).count() == aliceInitializes) ? 1 : 0;

			// Two of mallory's calls in flight: the third is refused; alice's still goes through.
			mallorys.mcpFault = TestOAuthPeer.McpFault.SLOW;
			// Calls are counted on arrival (the slow answer comes 3 s later).
			int callsBefore = mallorys.toolCallsArrived();
			List<java.util.concurrent.CompletableFuture<Integer>> slow = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				String id = ids.get(1 + i);
				slow.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
					try {
						return this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(mallory))
							.with(csrf())
							.contentType(MediaType.APPLICATION_JSON)
							.content("{}")).andReturn().getResponse().getStatus();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
			while (mallorys.toolCallsArrived() < callsBefore + 2) {
				Thread.sleep(20);
			}
			tried++;
			MockHttpServletResponse third = this.mvc.perform(post("/api/mcp/connections/" + ids.get(1)
					+ "/tools/echo").with(user(mallory)).with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
				.andReturn()
				.getResponse();
			held += (third.getStatus() == 429 && third.getContentAsString().contains("owner-limit-reached")) ? 1 : 0;
			tried++;
			held += (this.executor.callTool(alice, aliceConnection, "echo", Map.of("message", "meanwhile"))
				.isError() != Boolean.TRUE) ? 1 : 0;
			for (java.util.concurrent.CompletableFuture<Integer> call : slow) {
				assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
			}
			System.out.printf("[Isolation suite] per-owner caps (connections, sessions, calls in flight): tried %d,"
					+ " held %d%n", tried, held);
			assertThat(held).isEqualTo(tried);
		}
	}

	@Autowired
	McpConnectionService connections;

	@Test
	void gatewayTokenOfOneUserIsMissingForAnotherAndReachesOnlyItsOwnersConnections() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String bob = "bob-" + UUID.randomUUID();
		this.connections.create(McpOwner.of(alice), new NewConnection("http://127.0.0.1:1/mcp", "Desk", null),
				ConnectionStatus.ACTIVE);
		Map<String, JsonNode> tokens = new LinkedHashMap<>();
		for (String user : List.of(alice, bob)) {
			tokens.put(user, JsonMapper.shared()
				.readTree(perform(post("/api/mcp/gateway/tokens").with(user(user))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"name\":\"t\",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}"),
						201)));
		}
		String aliceId = tokens.get(alice).at("/token/id").asString();
		String bobSecret = tokens.get(bob).get("secret").asString();

		String foreign = withoutInstance(
				perform(delete("/api/mcp/gateway/tokens/" + aliceId).with(user(bob)).with(csrf()), 404));
		String missing = withoutInstance(
				perform(delete("/api/mcp/gateway/tokens/" + UUID.randomUUID()).with(user(bob)).with(csrf()), 404));
		assertThat(foreign).isEqualTo(missing).contains("gateway-token-not-found");
		assertThat(perform(get("/api/mcp/gateway/tokens").with(user(bob)), 200)).doesNotContain(aliceId)
			.contains(tokens.get(bob).at("/token/id").asString());
		// Presented next to Bob's own login on the REST API, a token changes nothing: Bob's list.
		assertThat(perform(get("/api/mcp/gateway/tokens").with(user(bob)).header("Authorization",
				"Bearer " + tokens.get(alice).get("secret").asString()), 200)).doesNotContain(aliceId);

		// Bob's token on Alice's connection endpoint: like a connection that does not exist.
		String onAlices = withoutInstance(perform(gatewayList("/api/mcp/gateway/Desk/mcp", bobSecret), 404));
		String onNone = withoutInstance(perform(gatewayList("/api/mcp/gateway/Nowhere/mcp", bobSecret), 404));
		assertThat(onAlices).isEqualTo(onNone).contains("connection-not-found");
		// Alice's token there is Alice.
		perform(gatewayList("/api/mcp/gateway/Desk/mcp", tokens.get(alice).get("secret").asString()), 200);
		perform(delete("/api/mcp/gateway/tokens/" + aliceId).with(user(alice)).with(csrf()), 204);
	}

	private static MockHttpServletRequestBuilder gatewayList(String path, String secret) {
		return post(path).with(csrf())
			.header("Authorization", "Bearer " + secret)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.content("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "2025-11-25", "2026-07-28" })
	void tokensStayWithTheirServerAndUsersSeeOnlyTheirOwnConnections(String revision) throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String bob = "bob-" + UUID.randomUUID();
		try (TestOAuthPeer one = new TestOAuthPeer(); TestOAuthPeer two = new TestOAuthPeer()) {
			List<TestOAuthPeer> peers = List.of(one, two);
			peers.forEach((peer) -> peer.modern = revision.equals("2026-07-28"));
			Map<String, List<String>> ids = new LinkedHashMap<>();
			for (String user : List.of(alice, bob)) {
				for (TestOAuthPeer peer : peers) {
					String id = connectAndConsent(user, peer);
					ids.computeIfAbsent(user, (u) -> new ArrayList<>()).add(id);
					perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(user))
						.with(csrf())
						.contentType(MediaType.APPLICATION_JSON)
						.content("{\"message\":\"hi\"}"), 200);
				}
			}

			int leaked = 0;
			for (TestOAuthPeer peer : peers) {
				TestOAuthPeer other = (peer == one) ? two : one;
				for (String seen : peer.bearerTokensSeen()) {
					if (!seen.startsWith("Bearer " + peer.accessToken) || seen.contains(other.accessToken)) {
						leaked++;
					}
				}
				for (Map<String, String> request : peer.tokenRequests()) {
					if (request.toString().contains(other.code) || request.toString().contains(other.refreshToken)
							|| request.toString().contains(other.accessToken)) {
						leaked++;
					}
				}
			}

			int crossTried = 0;
			int crossLikeMissing = 0;
			String missing = UUID.randomUUID().toString();
			for (String user : List.of(alice, bob)) {
				String otherUser = user.equals(alice) ? bob : alice;
				for (String foreign : ids.get(otherUser)) {
					for (Operation operation : operations()) {
						crossTried++;
						String foreignBody = withoutInstance(perform(operation.request(foreign, user), -1));
						String missingBody = withoutInstance(perform(operation.request(missing, user), -1));
						if (foreignBody.equals(missingBody) && foreignBody.contains("connection-not-found")) {
							crossLikeMissing++;
						}
					}
				}
				JsonNode list = JsonMapper.shared()
					.readTree(perform(get("/api/mcp/connections").with(user(user)), 200));
				List<String> listed = new ArrayList<>();
				list.forEach((c) -> listed.add(c.get("id").asString()));
				assertThat(listed).containsExactlyInAnyOrderElementsOf(ids.get(user));
			}
			// Each user's connections still work after the other's attempts.
			for (String user : List.of(alice, bob)) {
				for (String id : ids.get(user)) {
					perform(get("/api/mcp/connections/" + id + "/tools").with(user(user)), 200);
				}
			}
			System.out.printf("[Isolation suite] %s: 2 users x 2 servers x 2 authorization servers: tokens seen %d,"
					+ " leaked %d; cross-user operations tried %d, answered like a missing id %d%n", revision,
					one.bearerTokensSeen().size() + two.bearerTokensSeen().size(), leaked, crossTried,
					crossLikeMissing);
			assertThat(leaked).isZero();
			assertThat(crossLikeMissing).isEqualTo(crossTried);
			if (one.modern) {
				assertThat(one.rpcMethods()).as("2026-07-28 has no initialize").doesNotContain("initialize");
				assertThat(two.rpcMethods()).as("2026-07-28 has no initialize").doesNotContain("initialize");
			}
		}
	}

	/**
	 * Servers that name the corporate issuer: the corporate MCP server itself is authorized
	 * with the pre-registered client; others (whatever they are) are refused with a Problem
	 * that names {@code allowed-resources}, before any authorization request is made.
	 */
	@Test
	void aPreRegisteredClientServesOnlyTheResourcesItNames() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		int tried = 0;
		int refused = 0;
		try (TestOAuthPeer attacker = new TestOAuthPeer(); TestOAuthPeer another = new TestOAuthPeer()) {
			for (TestOAuthPeer server : List.of(attacker, another)) {
				server.authorizationServer = corp.issuer();
				tried++;
				MockHttpServletResponse response = this.mvc.perform(post("/api/mcp/connections").with(user(alice))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"serverUrl\":\"" + server.mcpUrl() + "\"}")).andReturn().getResponse();
				if (response.getStatus() == 502 && response.getContentAsString().contains("allowed-resources")
						&& !response.getContentAsString().contains("corp-app")) {
					refused++;
				}
			}
		}
		String id = connectAndConsent(alice, corp);
		perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"hi\"}"), 200);
		System.out.printf("[Isolation suite] pre-registered client: other servers naming its issuer tried %d,"
				+ " refused %d; its own resource authorized with it %d%n", tried, refused,
				corp.tokenRequests().size());
		assertThat(refused).isEqualTo(tried);
		assertThat(corp.requests()).as("the pre-registered client, not a registration").doesNotContain("POST /register");
		assertThat(corp.tokenRequests()).singleElement()
			.satisfies((form) -> assertThat(form).containsEntry("resource", corp.mcpUrl()));
	}

	/**
	 * A grant is refreshed and revoked only by the client it was issued to. Once the issuer's
	 * stored registration is another client (registered again after a refusal, or by whatever
	 * else replaced it), the grant is not sent with that client: the connection asks to be
	 * authorized again, and deleting it revokes nothing with the wrong client.
	 */
	@Test
	void aGrantIsRefreshedAndRevokedOnlyByTheClientThatObtainedIt() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		long refreshes;
		int revocations;
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			String id = connectAndConsent(alice, peer);
			dev.mcpconnector.registration.StoredClientRegistration obtained = this.registrations.find(peer.issuer())
				.orElseThrow();
			this.registrations.save(new dev.mcpconnector.registration.StoredClientRegistration(peer.issuer(),
					"another-client", "another-secret",
					dev.mcpconnector.registration.ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
					dev.mcpconnector.registration.ClientRegistrationSource.DYNAMIC, obtained.redirectUri(), null,
					java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
			peer.acceptTokensFrom = 1000;
			int before = peer.tokenRequests().size();
			this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"hi\"}")).andReturn();
			refreshes = peer.tokenRequests().stream().skip(before)
				.filter((form) -> "refresh_token".equals(form.get("grant_type")))
				.count();
			JsonNode connection = JsonMapper.shared()
				.readTree(perform(get("/api/mcp/connections/" + id).with(user(alice)), 200));
			assertThat(connection.get("status").asString()).isEqualTo("REAUTHORIZATION_REQUIRED");
			perform(delete("/api/mcp/connections/" + id).with(user(alice)).with(csrf()), -1);
			revocations = peer.revocations();
		}
		System.out.printf("[Isolation suite] a grant after its client was replaced: refreshes sent with the other"
				+ " client %d, revocations sent with it %d%n", refreshes, revocations);
		assertThat(refreshes).isZero();
		assertThat(revocations).isZero();
	}

	/**
	 * Audit and usage beyond the caller's own records: a tenant administrator reads its own
	 * tenant only; every tenant ({@code scope=all}) is for the global administrator.
	 */
	@Test
	void tenantAdministratorsReadTheirTenantAndOnlyGlobalAdministratorsReadEveryTenant() throws Exception {
		record Case(String role, String scope, int status) {
		}
		List<Case> cases = List.of(new Case(null, "tenant", 403), new Case(null, "all", 403),
				new Case("MCP_ADMIN", "tenant", 200), new Case("MCP_ADMIN", "all", 403),
				new Case("MCP_GLOBAL_ADMIN", "tenant", 200), new Case("MCP_GLOBAL_ADMIN", "all", 200));
		int tried = 0;
		int asAllowed = 0;
		for (String path : List.of("/api/mcp/audit", "/api/mcp/usage")) {
			for (Case scoped : cases) {
				var principal = user("auditor-" + UUID.randomUUID());
				if (scoped.role() != null) {
					principal = principal.roles("USER", scoped.role());
				}
				tried++;
				MockHttpServletResponse response = this.mvc.perform(get(path).param("scope", scoped.scope())
					.with(principal)).andReturn().getResponse();
				if (response.getStatus() == scoped.status()) {
					asAllowed++;
				}
				else {
					System.out.printf("[Isolation suite] %s?scope=%s as %s: %d, wanted %d%n", path, scoped.scope(),
							scoped.role(), response.getStatus(), scoped.status());
				}
			}
		}
		System.out.printf("[Isolation suite] audit and usage scopes: tried %d, answered as the authority allows %d%n",
				tried, asAllowed);
		assertThat(asAllowed).isEqualTo(tried);
	}

	private record Operation(String name, java.util.function.BiFunction<String, String, MockHttpServletRequestBuilder> builder) {

		MockHttpServletRequestBuilder request(String id, String user) {
			return this.builder.apply(id, user);
		}

	}

	private static List<Operation> operations() {
		return List.of(new Operation("get", (id, u) -> get("/api/mcp/connections/" + id).with(user(u))),
				new Operation("tools", (id, u) -> get("/api/mcp/connections/" + id + "/tools").with(user(u))),
				new Operation("call", (id, u) -> post("/api/mcp/connections/" + id + "/tools/echo").with(user(u))
					.with(csrf())
					.contentType(MediaType.APPLICATION_JSON)
					.content("{}")),
				new Operation("resources", (id, u) -> get("/api/mcp/connections/" + id + "/resources").with(user(u))),
				new Operation("prompts", (id, u) -> get("/api/mcp/connections/" + id + "/prompts").with(user(u))),
				new Operation("authorize",
						(id, u) -> post("/api/mcp/connections/" + id + "/authorize").with(user(u)).with(csrf())),
				new Operation("delete", (id, u) -> delete("/api/mcp/connections/" + id).with(user(u)).with(csrf())));
	}

	private String connectAndConsent(String user, TestOAuthPeer peer) throws Exception {
		JsonNode connect = JsonMapper.shared()
			.readTree(perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + peer.mcpUrl() + "\"}"), 201));
		URI redirect = TestOAuthPeer.authorizeRedirect(URI.create(connect.get("authorizationUrl").asString()));
		perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(user))
			.accept(MediaType.APPLICATION_JSON), 200);
		return connect.get("id").asString();
	}

	private String perform(MockHttpServletRequestBuilder request, int expectedStatus) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		if (expectedStatus > 0) {
			assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(expectedStatus);
		}
		return response.getContentAsString();
	}

	private static String withoutInstance(String problem) {
		return problem.replaceAll("\"instance\":\"[^\"]*\"", "");
	}

}
