package dev.mcpconnector.execution;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestModernPeer;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Through {@link McpToolExecutor} against a 2026-07-28 server nobody here wrote
 * ({@link TestModernPeer}: the TypeScript SDK v2 server) whose tokens come from the demo
 * server's Spring Authorization Server, on a real PostgreSQL: connect (the probe finds
 * 2026-07-28 and stores it), consent at the demo, list, call with the user's own token, refresh
 * after the access token expired (5 s tokens), step-up on 403 {@code insufficient_scope}; and,
 * disabled until the executor does them on 2026-07-28, {@code input_required} answered by the
 * executor's elicitation handler and a tool list that changes.
 */
@SpringBootTest(classes = TestApplication.class)
class ModernPeerExecutorTests {

	private static final URI CALLBACK = URI.create("http://127.0.0.1/callback");

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static DemoServer demo;

	private static TestModernPeer peer;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
		registry.add("mcp.connector.authorization.refresh-skew", () -> "0s");
	}

	@BeforeAll
	static void start() {
		demo = DemoServer.start(DemoServerSettings.builder().accessTokenTimeToLive(Duration.ofSeconds(5)).build());
		peer = TestModernPeer.start(demo);
	}

	@AfterAll
	static void stop() {
		if (peer != null) {
			peer.close();
		}
		if (demo != null) {
			demo.close();
		}
	}

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpConnectionService connections;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	EgressHttpClient http;

	@Test
	void connectConsentListAndCallWithTheUsersOwnToken() {
		McpOwner alice = McpOwner.of("alice");
		UUID id = connectAndConsent(alice, "alice");
		McpConnection connection = this.connections.get(alice, id);
		assertThat(connection.status()).isEqualTo(ConnectionStatus.ACTIVE);
		assertThat(connection.issuer()).isEqualTo(demo.issuer());

		assertThat(this.executor.listTools(alice, id)).extracting(McpSchema.Tool::name)
			.containsAll(TestModernPeer.TOOLS);
		// connect met a 401 (no token yet), so the revision is found by the first session, with the token
		assertThat(this.connections.get(alice, id).protocolVersion()).isEqualTo("2026-07-28");
		assertThat(text(this.executor.callTool(alice, id, "echo", Map.of("message", "hello")))).isEqualTo("echo: hello");
		assertThat(text(this.executor.callTool(alice, id, "whoami", Map.of()))).isEqualTo("alice");
		assertThat(text(this.executor.callTool(alice, id, "tag", Map.of("tag", "blue")))).isEqualTo("tag: blue");
		assertThat(peer.received("initialize")).as("no initialize on 2026-07-28").isZero();
	}

	@Test
	void twoUsersOfOneServerEachCallWithTheirOwnToken() {
		McpOwner alice = McpOwner.of("alice");
		McpOwner bob = McpOwner.of("bob");
		UUID aliceConnection = connectAndConsent(alice, "alice");
		UUID bobConnection = connectAndConsent(bob, "bob");
		assertThat(text(this.executor.callTool(bob, bobConnection, "whoami", Map.of()))).isEqualTo("bob");
		assertThat(text(this.executor.callTool(alice, aliceConnection, "whoami", Map.of()))).isEqualTo("alice");
		assertThat(text(this.executor.callTool(bob, bobConnection, "whoami", Map.of()))).isEqualTo("bob");
	}

	@Test
	void callAfterTheAccessTokenExpiredRefreshesOnceAndSucceeds() throws Exception {
		McpOwner alice = McpOwner.of("alice");
		UUID id = connectAndConsent(alice, "alice");
		assertThat(text(this.executor.callTool(alice, id, "echo", Map.of("message", "warm")))).isEqualTo("echo: warm");
		String before = this.connections.findCredentials(alice, id).orElseThrow().accessToken();

		Thread.sleep(5500);
		long refreshes = demo.counters().refreshTokenGrants();
		assertThat(text(this.executor.callTool(alice, id, "echo", Map.of("message", "late")))).isEqualTo("echo: late");
		assertThat(demo.counters().refreshTokenGrants() - refreshes).isEqualTo(1);
		assertThat(this.connections.findCredentials(alice, id).orElseThrow().accessToken()).isNotEqualTo(before);
		assertThat(text(this.executor.callTool(alice, id, "whoami", Map.of()))).isEqualTo("alice");
	}

	@Test
	void aToolThatNeedsMoreScopeAsksForAStepUpAndWorksAfterIt() {
		McpOwner alice = McpOwner.of("alice");
		UUID id = connectAndConsent(alice, "alice");
		AuthorizationRequiredException stepUp = catchThrowableOfType(AuthorizationRequiredException.class,
				() -> this.executor.callTool(alice, id, "read_report", Map.of()));
		assertThat(stepUp).as("read_report needs mcp:read").isNotNull();
		assertThat(stepUp.isStepUp()).isTrue();
		URI url = (stepUp.authorizationUrl() != null) ? stepUp.authorizationUrl()
				: this.authorization.authorize(alice, id, stepUp.challenge(), null, CALLBACK).authorizationUrl();
		assertThat(DemoBrowser.queryParameter(url, "scope")).contains("mcp:read").contains("mcp:tools");

		consent(alice, "alice", url);
		assertThat(this.connections.get(alice, id).grantedScopes()).contains("mcp:read");
		assertThat(text(this.executor.callTool(alice, id, "read_report", Map.of()))).startsWith("report for alice");
	}

	/**
	 * Issue 16 "input_required: elicitation ... go to the same handlers as the older revisions'
	 * server-initiated requests": the TypeScript SDK v2 peer answers {@code input_required} with a
	 * form, the executor's {@link McpClientSettings#elicitation()} answers it, and the call
	 * completes with the retried request.
	 */
	@Test
	void inputRequiredGoesToTheElicitationHandlerAndTheCallCompletes() {
		List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
		McpToolExecutor eliciting = McpToolExecutor
			.builder(this.connections, this.authorization, this.http,
					new McpClientSettings("modern-peer-tests", "1", Duration.ofSeconds(5), Duration.ofSeconds(20),
							(request) -> {
								asked.add(request);
								return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
										Map.of("confirmed", true));
							}))
			.build();
		try {
			McpOwner bob = McpOwner.of("bob");
			UUID id = connectAndConsent(bob, "bob");
			assertThat(text(eliciting.callTool(bob, id, "confirm_action", Map.of("action", "deploy"))))
				.isEqualTo("deploy: confirmed");
			assertThat(asked).singleElement()
				.satisfies((request) -> assertThat(request.message()).isEqualTo("Really deploy?"));
		}
		finally {
			eliciting.destroy();
		}
	}

	/**
	 * A tool the 2026-07-28 server adds is listed while the session lives: a listing asks the
	 * server again once the list's {@code ttlMs} has passed (the SDK's catalog caches it until
	 * then), as there is no session to carry {@code list_changed}.
	 */
	@Test
	void aToolTheServerAddsIsListedAfterItsListChanged() throws Exception {
		McpOwner bob = McpOwner.of("bob");
		UUID id = connectAndConsent(bob, "bob");
		assertThat(this.executor.listTools(bob, id)).extracting(McpSchema.Tool::name).doesNotContain("extra");
		try {
			this.executor.callTool(bob, id, "enable_extra", Map.of());
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			List<String> names = List.of();
			while (System.nanoTime() < deadline) {
				names = this.executor.listTools(bob, id).stream().map(McpSchema.Tool::name).toList();
				if (names.contains("extra")) {
					break;
				}
				Thread.sleep(200);
			}
			assertThat(names).contains("extra");
			assertThat(text(this.executor.callTool(bob, id, "extra", Map.of()))).isEqualTo("extra called");
		}
		finally {
			this.executor.callTool(bob, id, "disable_extra", Map.of());
		}
	}

	private UUID connectAndConsent(McpOwner owner, String user) {
		McpAuthorizationService.AuthorizationStart start = this.authorization.connect(owner,
				NewConnection.of(peer.mcpUrl()), null, CALLBACK);
		assertThat(start.authorizationUrl()).as("the peer asks for authorization").isNotNull();
		assertThat(start.authorizationUrl().toString()).startsWith(demo.issuer() + "/oauth2/authorize");
		consent(owner, user, start.authorizationUrl());
		return start.connection().id();
	}

	private void consent(McpOwner owner, String user, URI authorizationUrl) {
		TestModernPeer.consent(this.authorization, owner, user, authorizationUrl);
	}

	private static String text(McpSchema.CallToolResult result) {
		assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
