package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first call of a session costs what a raw SDK client pays (initialize, then the call) when
 * no policy or interceptor reads the tool's definition: no tools/list round trip before it. (An
 * OAuth server answered connect's probe with 401, so its revision is asked once, with the token,
 * by {@code server/discover} on the first session; an older server refuses it and is then
 * initialized.)
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FirstCallTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpAuthorizationService authorization;

	@Test
	void firstCallWhenNothingReadsTheDefinitionThenNoToolsListBeforeIt() {
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			McpOwner owner = McpOwner.of("first-" + UUID.randomUUID());
			UUID id = peer.connectAndConsent(this.authorization, owner);
			this.executor.callTool(owner, id, "echo", Map.of("message", "hi"));
			assertThat(peer.rpcMethods()).containsExactly("server/discover", "initialize", "tools/call");

			// Listing tools still works, and later calls use what the session learned.
			this.executor.listTools(owner, id);
			this.executor.callTool(owner, id, "echo", Map.of("message", "again"));
			assertThat(peer.rpcMethods()).containsExactly("server/discover", "initialize", "tools/call", "tools/list",
					"tools/call");
		}
	}

	/**
	 * A JDK HTTP client owns a selector thread and a connection pool; a session must not hold
	 * one of its own (issue 21), nor must the revision probe build one beside the session's.
	 */
	@Test
	void sessionsAndTheirRevisionProbesShareOneHttpClient() {
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			List<McpOwner> owners = new java.util.ArrayList<>();
			List<UUID> ids = new java.util.ArrayList<>();
			for (int i = 0; i < 4; i++) {
				McpOwner owner = McpOwner.of("shared-" + i + "-" + UUID.randomUUID());
				owners.add(owner);
				ids.add(peer.connectAndConsent(this.authorization, owner));
			}
			long before = httpClientSelectorThreads();
			for (int i = 0; i < owners.size(); i++) {
				this.executor.callTool(owners.get(i), ids.get(i), "echo", Map.of("message", "hi"));
			}
			assertThat(peer.rpcMethods()).filteredOn("server/discover"::equals).hasSize(4);
			assertThat(httpClientSelectorThreads() - before).as("selector threads started by 4 sessions")
				.isLessThanOrEqualTo(1);
			owners.forEach((owner) -> ids.forEach((id) -> this.executor.close(owner, id)));
		}
	}

	/** Each JDK {@code HttpClient} runs one thread named {@code HttpClient-<n>-SelectorManager}. */
	private static long httpClientSelectorThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("HttpClient-")
					&& thread.getName().endsWith("-SelectorManager"))
			.count();
	}

	@Test
	void definitionNeededOnlyForTheDestructiveToolsRuleAndByUnknownInterceptors() {
		assertThat(ToolPolicy.rules(List.of(), false).needsToolDefinition()).isFalse();
		assertThat(ToolPolicy.rules(List.of(), true).needsToolDefinition()).isTrue();
		ToolCallInterceptor custom = new ToolCallInterceptor() {
		};
		ToolCallInterceptor policy = ToolCallInterceptor.policy(ToolPolicy.rules(List.of(), false));
		ToolCallInterceptor audit = ToolCallInterceptor.audit(dev.mcpconnector.audit.AuditLog.none(),
				java.time.Clock.systemUTC());
		assertThat(new ToolCallPipeline(List.of(policy, audit)).needsToolDefinition()).isFalse();
		assertThat(new ToolCallPipeline(List.of(policy, audit, custom)).needsToolDefinition()).isTrue();
	}

}
