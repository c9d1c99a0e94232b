package dev.mcpconnector.execution;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoMcpRevisions;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor against the demo server speaking 2026-07-28 only, both revisions, and switching
 * between them, behind Spring Authorization Server (two-second access tokens): connect and
 * consent, list, call, refresh after expiry; a warm modern call is one HTTP request and no SQL;
 * a server that changes revision between calls is found again.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.authorization.refresh-skew=0s")
@Import(ModernRevisionTests.CountingDataSource.class)
class ModernRevisionTests {

	private static final String MODERN = "2026-07-28";

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final AtomicLong connectionsTaken = new AtomicLong();

	private static DemoServer demo;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startDemo() {
		demo = DemoServer.start(DemoServerSettings.builder().port(0).accessTokenTimeToLive(Duration.ofSeconds(5)).build());
	}

	@AfterAll
	static void stopDemo() {
		demo.close();
	}

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpConnectionService connections;

	@Test
	void callWhenServerSpeaksOnlyModernThenListCallRefreshAndWarmCallIsOneRequestWithoutSql() throws Exception {
		demo.mcpRevisions(DemoMcpRevisions.MODERN);
		McpOwner owner = McpOwner.of("alice-" + UUID.randomUUID());
		UUID id = connectAndConsent(owner, "alice");
		assertModernListCallRefresh(owner, id);
	}

	@Test
	void callWhenServerSpeaksBothRevisionsThenModernIsChosen() throws Exception {
		demo.mcpRevisions(DemoMcpRevisions.BOTH);
		McpOwner owner = McpOwner.of("bob-" + UUID.randomUUID());
		UUID id = connectAndConsent(owner, "bob");
		assertModernListCallRefresh(owner, id);
	}

	@Test
	void callWhenServerChangesRevisionBetweenCallsThenFoundAgain() throws Exception {
		demo.mcpRevisions(DemoMcpRevisions.LEGACY);
		McpOwner owner = McpOwner.of("carol-" + UUID.randomUUID());
		UUID id = connectAndConsent(owner, "alice");
		assertThat(echo(owner, id, "legacy")).contains("legacy");
		String legacy = this.connections.get(owner, id).protocolVersion();
		assertThat(legacy).isNotNull().isLessThan(MODERN);

		demo.mcpRevisions(DemoMcpRevisions.MODERN);
		long modernBefore = demo.counters().modernMcpPosts();
		assertThat(echo(owner, id, "now modern")).contains("now modern");
		assertThat(demo.counters().modernMcpPosts()).isGreaterThan(modernBefore);
		assertThat(this.connections.get(owner, id).protocolVersion()).isEqualTo(MODERN);

		demo.mcpRevisions(DemoMcpRevisions.LEGACY);
		assertThat(echo(owner, id, "legacy again")).contains("legacy again");
		assertThat(this.connections.get(owner, id).protocolVersion()).isNotNull().isLessThan(MODERN);
		demo.mcpRevisions(DemoMcpRevisions.BOTH);
	}

	private void assertModernListCallRefresh(McpOwner owner, UUID id) throws Exception {
		List<McpSchema.Tool> tools = this.executor.listTools(owner, id);
		assertThat(tools).extracting(McpSchema.Tool::name).contains("echo", "add");
		assertThat(this.connections.get(owner, id).protocolVersion()).isEqualTo(MODERN);
		long modernBefore = demo.counters().modernMcpPosts();
		assertThat(echo(owner, id, "first")).contains("first");
		assertThat(demo.counters().modernMcpPosts() - modernBefore).isEqualTo(1);

		long posts = demo.counters().mcpPosts();
		long sql = connectionsTaken.get();
		assertThat(echo(owner, id, "warm")).contains("warm");
		assertThat(demo.counters().mcpPosts() - posts).isEqualTo(1);
		assertThat(connectionsTaken.get() - sql).isZero();

		long refreshes = demo.counters().refreshTokenGrants();
		Thread.sleep(5500);
		assertThat(echo(owner, id, "after expiry")).contains("after expiry");
		assertThat(demo.counters().refreshTokenGrants() - refreshes).isEqualTo(1);
	}

	private String echo(McpOwner owner, UUID id, String message) {
		McpSchema.CallToolResult result = this.executor.callTool(owner, id, "echo", Map.of("message", message));
		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

	private UUID connectAndConsent(McpOwner owner, String user) {
		McpAuthorizationService.AuthorizationStart connect = this.authorization.connect(owner,
				NewConnection.of(demo.mcpUrl()), null, URI.create("http://127.0.0.1/callback"));
		URI redirect = new DemoBrowser(user, user).authorize(connect.authorizationUrl());
		this.authorization.complete(owner, new CallbackParameters(DemoBrowser.queryParameter(redirect, "code"),
				DemoBrowser.queryParameter(redirect, "state"), DemoBrowser.queryParameter(redirect, "iss"), null, null));
		return connect.connection().id();
	}

	/** Counts connections taken from the DataSource on the calling thread (not the audit writer's). */
	@TestConfiguration(proxyBeanMethods = false)
	static class CountingDataSource {

		@Bean
		static BeanPostProcessor modernCountingDataSourcePostProcessor() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource target)) {
						return bean;
					}
					return Proxy.newProxyInstance(DataSource.class.getClassLoader(),
							new Class<?>[] { DataSource.class, java.io.Closeable.class }, (proxy, method, args) -> {
								if (method.getName().equals("getConnection")
										&& !Thread.currentThread().getName().startsWith("mcp-connector-audit-writer")) {
									connectionsTaken.incrementAndGet();
								}
								if (method.getName().equals("close") && target instanceof java.io.Closeable closeable) {
									closeable.close();
									return null;
								}
								try {
									return method.invoke(target, args);
								}
								catch (java.lang.reflect.InvocationTargetException ex) {
									throw ex.getCause();
								}
							});
				}
			};
		}

	}

}
