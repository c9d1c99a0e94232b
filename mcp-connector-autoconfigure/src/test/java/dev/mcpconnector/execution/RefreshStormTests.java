package dev.mcpconnector.execution;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoMcpRevisions;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 concurrent calls on one connection whose access token has expired, from two application
 * contexts sharing one PostgreSQL: the authorization server sees exactly one refresh request,
 * and every call succeeds. Once with the demo speaking only 2025-11-25 and once with it speaking
 * only 2026-07-28.
 * <p>
 * Tokens live an hour and expire only on command ({@link #expire}): the demo refuses the
 * access tokens issued so far and the stored credentials say they have expired. The refreshed
 * token cannot expire during a storm, however slow the machine, so "exactly one refresh" does
 * not depend on speed (with 2-second or 5-second tokens a storm that outlasted the refreshed
 * token rightly refreshed twice).
 */
class RefreshStormTests {

	private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = DemoMcpRevisions.class, names = { "LEGACY", "MODERN" })
	void concurrentCallsFromTwoInstancesOnAnExpiredTokenRefreshOnce(DemoMcpRevisions revisions) throws Exception {
		storm(false, revisions);
	}

	/**
	 * The same with sessions already open on both instances: the token expires under them, so
	 * every call meets a 401 and the refresh happens in the SDK's authorization error handler.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(value = DemoMcpRevisions.class, names = { "LEGACY", "MODERN" })
	void concurrentCallsOnWarmSessionsWhoseTokenExpiredRefreshOnce(DemoMcpRevisions revisions) throws Exception {
		storm(true, revisions);
	}

	/**
	 * Storms on warm sessions, three times over: the demo rotates refresh tokens and refuses a
	 * reused one, so a call on either instance that sent a refresh token rotated away would
	 * fail and be counted. Each round refreshes exactly once, with the current refresh token,
	 * and the stored one changes every round.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(value = DemoMcpRevisions.class, names = { "LEGACY", "MODERN" })
	void repeatedStormsWhenRefreshTokensRotateNeverSendARotatedOne(DemoMcpRevisions revisions) throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		try (DemoServer demo = demo(revisions);
				ConfigurableApplicationContext first = instance(database, key);
				ConfigurableApplicationContext second = instance(database, key)) {
			McpOwner alice = McpOwner.of("alice");
			UUID id = connect(demo, first, alice);
			List<McpToolExecutor> executors = executors(first, second);
			for (McpToolExecutor executor : executors) {
				executor.callTool(alice, id, "echo", Map.of("message", "warm-up"));
			}
			McpConnectionService connections = first.getBean(McpConnectionService.class);
			List<String> refreshTokens = new ArrayList<>();
			refreshTokens.add(connections.findCredentials(alice, id).orElseThrow().refreshToken());
			for (int round = 1; round <= 3; round++) {
				expire(demo, connections, alice, id);
				long refreshesBefore = demo.counters().refreshTokenGrants();
				int succeeded = callAtOnce(executors, alice, id);
				long refreshes = demo.counters().refreshTokenGrants() - refreshesBefore;
				refreshTokens.add(connections.findCredentials(alice, id).orElseThrow().refreshToken());
				System.out.println("[RefreshStormTests] " + revisions + ", rotating, round " + round + ": " + succeeded
						+ " of 100 calls succeeded; " + refreshes + " refresh request(s); "
						+ demo.counters().staleRefreshTokenGrants() + " with a rotated refresh token");
				assertThat(succeeded).isEqualTo(100);
				assertThat(refreshes).isEqualTo(1);
			}
			assertThat(demo.counters().staleRefreshTokenGrants()).as("refreshes with a rotated refresh token")
				.isZero();
			assertThat(demo.counters().tokenErrors()).isZero();
			assertThat(refreshTokens).as("a new refresh token every round").doesNotHaveDuplicates().hasSize(4);
		}
	}

	private void storm(boolean warm, DemoMcpRevisions revisions) throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		try (DemoServer demo = demo(revisions);
				ConfigurableApplicationContext first = instance(database, key);
				ConfigurableApplicationContext second = instance(database, key)) {
			McpOwner alice = McpOwner.of("alice");
			UUID id = connect(demo, first, alice);
			List<McpToolExecutor> executors = executors(first, second);
			if (warm) {
				for (McpToolExecutor executor : executors) {
					executor.callTool(alice, id, "echo", Map.of("message", "warm-up"));
				}
			}
			expire(demo, first.getBean(McpConnectionService.class), alice, id);
			long refreshesBefore = demo.counters().refreshTokenGrants();
			int succeeded = callAtOnce(executors, alice, id);
			long refreshes = demo.counters().refreshTokenGrants() - refreshesBefore;
			System.out.println("[RefreshStormTests] " + revisions + ", " + (warm ? "warm" : "cold") + " sessions: " + succeeded
					+ " of 100 calls succeeded across 2 instances; " + refreshes
					+ " refresh request(s) reached the authorization server");
			assertThat(succeeded).isEqualTo(100);
			assertThat(refreshes).isEqualTo(1);
			assertThat(demo.counters().staleRefreshTokenGrants()).isZero();
		}
	}

	private static DemoServer demo(DemoMcpRevisions revisions) {
		return DemoServer.start(DemoServerSettings.builder()
			.port(0)
			.accessTokenTimeToLive(TOKEN_LIFETIME)
			.mcpRevisions(revisions)
			.build());
	}

	private static List<McpToolExecutor> executors(ConfigurableApplicationContext... instances) {
		return java.util.Arrays.stream(instances).map((instance) -> instance.getBean(McpToolExecutor.class)).toList();
	}

	private static UUID connect(DemoServer demo, ConfigurableApplicationContext context, McpOwner owner) {
		McpAuthorizationService authorization = context.getBean(McpAuthorizationService.class);
		McpAuthorizationService.AuthorizationStart connect = authorization.connect(owner, NewConnection.of(demo.mcpUrl()),
				null, URI.create("http://127.0.0.1/callback"));
		URI redirect = new DemoBrowser("alice", "alice").authorize(connect.authorizationUrl());
		authorization.complete(owner, new CallbackParameters(DemoBrowser.queryParameter(redirect, "code"),
				DemoBrowser.queryParameter(redirect, "state"), DemoBrowser.queryParameter(redirect, "iss"), null, null));
		return connect.connection().id();
	}

	/**
	 * Expire the connection's access token on command, on both sides: the demo refuses it from
	 * now on, and the stored credentials say it has expired (so a call without a session
	 * refreshes before it sends, and one on a warm session meets the 401).
	 */
	private static void expire(DemoServer demo, McpConnectionService connections, McpOwner owner, UUID id) {
		assertThat(demo.expireAccessTokens()).isPositive();
		ConnectionCredentials current = connections.findCredentials(owner, id).orElseThrow();
		connections.saveCredentials(owner, id, new ConnectionCredentials(current.accessToken(), current.refreshToken(),
				current.tokenType(), Instant.now().minus(TOKEN_LIFETIME), current.scopes()));
	}

	/** 100 calls at once, alternating between the instances; each must echo its own message. */
	private static int callAtOnce(List<McpToolExecutor> executors, McpOwner owner, UUID id) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(100);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> futures = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			McpToolExecutor executor = executors.get(i % 2);
			String message = "call " + i;
			Callable<String> call = () -> {
				start.await();
				McpSchema.CallToolResult result = executor.callTool(owner, id, "echo", Map.of("message", message));
				return ((McpSchema.TextContent) result.content().get(0)).text();
			};
			futures.add(pool.submit(call));
		}
		start.countDown();
		int succeeded = 0;
		try {
			for (int i = 0; i < futures.size(); i++) {
				assertThat(futures.get(i).get()).contains("call " + i);
				succeeded++;
			}
		}
		finally {
			pool.shutdownNow();
		}
		return succeeded;
	}

	private static ConfigurableApplicationContext instance(TestDatabase database, String key) {
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + key);
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("mcp.connector.authorization.refresh-skew=0s");
		properties.add("spring.datasource.hikari.maximum-pool-size=5");
		// The storm is one user's 100 calls at once: above the default per-owner cap of 32.
		properties.add("mcp.connector.client.max-concurrent-calls-per-owner=100");
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

}
