package dev.mcpconnector.execution;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
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
 */
class RefreshStormTests {

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

	private void storm(boolean warm, DemoMcpRevisions revisions) throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		try (DemoServer demo = DemoServer.start(DemoServerSettings.builder()
			.port(0)
			.accessTokenTimeToLive(Duration.ofSeconds(5))
			.mcpRevisions(revisions)
			.build());
				ConfigurableApplicationContext first = instance(database, key);
				ConfigurableApplicationContext second = instance(database, key)) {
			McpOwner alice = McpOwner.of("alice");
			McpAuthorizationService authorization = first.getBean(McpAuthorizationService.class);
			McpAuthorizationService.AuthorizationStart connect = authorization.connect(alice, NewConnection.of(demo.mcpUrl()), null,
					URI.create("http://127.0.0.1/callback"));
			URI redirect = new DemoBrowser("alice", "alice").authorize(connect.authorizationUrl());
			authorization.complete(alice, new CallbackParameters(DemoBrowser.queryParameter(redirect, "code"),
					DemoBrowser.queryParameter(redirect, "state"), DemoBrowser.queryParameter(redirect, "iss"), null,
					null));

			List<McpToolExecutor> executors = List.of(first.getBean(McpToolExecutor.class),
					second.getBean(McpToolExecutor.class));
			if (warm) {
				for (McpToolExecutor executor : executors) {
					executor.callTool(alice, connect.connection().id(), "echo", Map.of("message", "warm-up"));
				}
			}
			Thread.sleep(5500);
			long refreshesBefore = demo.counters().refreshTokenGrants();
			ExecutorService pool = Executors.newFixedThreadPool(100);
			CountDownLatch start = new CountDownLatch(1);
			List<Callable<String>> calls = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				McpToolExecutor executor = executors.get(i % 2);
				String message = "call " + i;
				calls.add(() -> {
					start.await();
					McpSchema.CallToolResult result = executor.callTool(alice, connect.connection().id(), "echo",
							Map.of("message", message));
					return ((McpSchema.TextContent) result.content().get(0)).text();
				});
			}
			List<Future<String>> futures = new ArrayList<>();
			for (Callable<String> call : calls) {
				futures.add(pool.submit(call));
			}
			start.countDown();
			int succeeded = 0;
			for (int i = 0; i < futures.size(); i++) {
				assertThat(futures.get(i).get()).contains("call " + i);
				succeeded++;
			}
			pool.shutdown();
			long refreshes = demo.counters().refreshTokenGrants() - refreshesBefore;
			System.out.println("[RefreshStormTests] " + revisions + ", " + (warm ? "warm" : "cold") + " sessions: " + succeeded
					+ " of 100 calls succeeded across 2 instances; " + refreshes
					+ " refresh request(s) reached the authorization server");
			assertThat(succeeded).isEqualTo(100);
			assertThat(refreshes).isEqualTo(1);
		}
	}

	private static ConfigurableApplicationContext instance(TestDatabase database, String key) {
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + key);
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("mcp.connector.authorization.refresh-skew=0s");
		properties.add("spring.datasource.hikari.maximum-pool-size=5");
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

}
