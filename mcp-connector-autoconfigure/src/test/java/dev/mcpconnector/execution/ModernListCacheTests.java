package dev.mcpconnector.execution;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
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

/**
 * Issue 16, "discover and list results cached per owner and connection as {@code ttlMs} /
 * {@code cacheScope} allow", against the TypeScript SDK v2 peer behind the demo's OAuth, counting
 * the {@code tools/list} requests it receives. Each caller's list holds a tool of its own, so the
 * result is {@code cacheScope: private}: with a long {@code ttlMs} an owner's second listing is
 * served from that owner's cache (no request), another owner of the same server never gets it
 * (a request of their own, their own tool). With {@code ttlMs} 0 (the SDK server's default,
 * "immediately stale") every listing asks the server.
 */
@SpringBootTest(classes = TestApplication.class)
class ModernListCacheTests {

	private static final URI CALLBACK = URI.create("http://127.0.0.1/callback");

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static DemoServer demo;

	private static TestModernPeer cached;

	private static TestModernPeer stale;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void start() {
		demo = DemoServer.start(DemoServerSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(5)).build());
		cached = TestModernPeer.start(demo, Map.of("TOOLS_TTL_MS", "600000"));
		stale = TestModernPeer.start(demo);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { stale, cached, demo }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// keep closing the others
			}
		}
	}

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpToolExecutor executor;

	@Test
	void aPrivateListIsKeptForItsOwnerWhileFreshAndNeverServedToAnotherOwner() {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());
		UUID aliceConnection = connectAndConsent(cached, alice, "alice");
		UUID bobConnection = connectAndConsent(cached, bob, "bob");

		int before = cached.received("tools/list");
		assertThat(names(alice, aliceConnection)).contains("mine_alice", "echo").doesNotContain("mine_bob");
		assertThat(cached.received("tools/list") - before).isEqualTo(1);
		assertThat(names(alice, aliceConnection)).contains("mine_alice").doesNotContain("mine_bob");
		assertThat(cached.received("tools/list") - before).as("alice's second listing, within its ttlMs").isEqualTo(1);
		assertThat(text(this.executor.callTool(alice, aliceConnection, "mine_alice", Map.of()))).isEqualTo("mine: alice");
		assertThat(cached.received("tools/list") - before).as("a call uses the kept definitions").isEqualTo(1);

		assertThat(names(bob, bobConnection)).as("bob's listing of the same server")
			.contains("mine_bob", "echo")
			.doesNotContain("mine_alice");
		assertThat(cached.received("tools/list") - before).as("bob's listing asked the server").isEqualTo(2);
	}

	@Test
	void aListThatIsImmediatelyStaleIsAskedForEachTime() {
		McpOwner carol = McpOwner.of("carol-" + UUID.randomUUID());
		UUID id = connectAndConsent(stale, carol, "alice");
		int before = stale.received("tools/list");
		for (int i = 1; i <= 3; i++) {
			assertThat(names(carol, id)).contains("mine_alice");
			assertThat(stale.received("tools/list") - before).as("listings after %d", i).isEqualTo(i);
		}
	}

	private List<String> names(McpOwner owner, UUID id) {
		return this.executor.listTools(owner, id).stream().map(McpSchema.Tool::name).toList();
	}

	private UUID connectAndConsent(TestModernPeer peer, McpOwner owner, String user) {
		McpAuthorizationService.AuthorizationStart start = this.authorization.connect(owner,
				NewConnection.of(peer.mcpUrl()), null, CALLBACK);
		TestModernPeer.consent(this.authorization, owner, user, start.authorizationUrl());
		return start.connection().id();
	}

	private static String text(McpSchema.CallToolResult result) {
		assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
