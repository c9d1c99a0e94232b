package dev.mcpconnector.egress;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionLimits;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults suite: an MCP server answering 500, timing out, sending malformed JSON or an oversized
 * body, and an authorization server answering 500 or down. Every failure is a typed exception;
 * after 1,000 of them no thread, session or database connection has leaked; no connection or
 * token was lost. Once against a 2025-11-25 server and once against one that speaks only
 * 2026-07-28 (a fault there meets a stateless request, with no session to reopen).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "mcp.connector.client.request-timeout=1s", "mcp.connector.client.max-response-size=64KB",
				"mcp.connector.egress.read-timeout=2s", "mcp.connector.authorization.refresh-skew=0s" })
class FaultSuiteTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	DataSource dataSource;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "2025-11-25", "2026-07-28" })
	void everyFaultIsTypedAndNothingLeaksOrIsLost(String revision) throws Exception {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			peer.modern = revision.equals("2026-07-28");
			UUID id = peer.connectAndConsent(this.authorization, alice);
			this.executor.callTool(alice, id, "echo", Map.of("message", "warm"));
			ConnectionCredentials original = this.repository.findCredentials(alice, id).orElseThrow();
			int threadsBefore = Thread.activeCount();
			// the context is shared by both revisions: sessions of the other run may still be pooled
			int otherSessions = this.executor.sessionCount() - 1;

			Map<String, int[]> counts = new LinkedHashMap<>();
			int total = 0;
			for (TestOAuthPeer.McpFault fault : new TestOAuthPeer.McpFault[] { TestOAuthPeer.McpFault.STATUS_500,
					TestOAuthPeer.McpFault.MALFORMED_JSON, TestOAuthPeer.McpFault.OVERSIZED,
					TestOAuthPeer.McpFault.SLOW }) {
				peer.mcpFault = fault;
				int attempts = switch (fault) {
					case STATUS_500 -> 1000;
					case SLOW -> 5;
					default -> 50;
				};
				int typed = 0;
				for (int i = 0; i < attempts; i++) {
					try {
						this.executor.callTool(alice, id, "echo", Map.of("message", "x"));
					}
					catch (McpConnectorException ex) {
						typed++;
					}
					catch (RuntimeException ex) {
						// untyped: counted as not typed
					}
				}
				counts.put("MCP " + fault, new int[] { attempts, typed });
				total += attempts;
			}
			peer.mcpFault = TestOAuthPeer.McpFault.NONE;
			this.executor.callTool(alice, id, "echo", Map.of("message", "recovered"));

			// The authorization server fails while a refresh is due: typed, and the grant survives.
			peer.tokenEndpointFails = true;
			expire(alice, id);
			int asTyped = attemptTyped(alice, id, 20);
			counts.put("AS 500 on refresh", new int[] { 20, asTyped });
			peer.tokenEndpointFails = false;
			int closedPort;
			try (ServerSocket socket = new ServerSocket(0)) {
				closedPort = socket.getLocalPort();
			}
			peer.tokenEndpoint = "http://127.0.0.1:" + closedPort + "/token";
			this.authorization.forgetMetadata();
			expire(alice, id);
			int downTyped = attemptTyped(alice, id, 20);
			counts.put("AS down on refresh", new int[] { 20, downTyped });
			peer.tokenEndpoint = peer.issuer() + "/token";
			this.authorization.forgetMetadata();
			total += 40;

			ConnectionCredentials afterFaults = this.repository.findCredentials(alice, id).orElseThrow();
			assertThat(afterFaults.refreshToken()).as("refresh token kept").isEqualTo(original.refreshToken());
			assertThat(this.repository.find(alice, id))
				.hasValueSatisfying((c) -> assertThat(c.status()).isEqualTo(ConnectionStatus.ACTIVE));
			this.executor.close(alice, id);
			this.executor.callTool(alice, id, "echo", Map.of("message", "refreshed after the outage"));

			int threadsAfter = Thread.activeCount();
			int activeDb = ((HikariDataSource) unwrap(this.dataSource)).getHikariPoolMXBean().getActiveConnections();
			int untyped = counts.values().stream().mapToInt((c) -> c[0] - c[1]).sum();
			counts.forEach((name, c) -> System.out.printf("[Faults suite] %s %-22s tried %4d, typed %4d%n", revision,
					name, c[0], c[1]));
			System.out.printf("[Faults suite] %s %d failures: untyped %d; threads %d -> %d; sessions %d; busy database"
					+ " connections %d; connections lost 0, tokens lost 0%n", revision, total, untyped, threadsBefore,
					threadsAfter, this.executor.sessionCount() - otherSessions, activeDb);
			assertThat(untyped).isZero();
			assertThat(threadsAfter - threadsBefore).as("thread growth").isLessThan(20);
			assertThat(this.executor.sessionCount() - otherSessions).isLessThanOrEqualTo(1);
			assertThat(activeDb).isZero();
		}
	}

	/**
	 * A user's connect request may lower the operator's caps (request timeout 1 s, responses of
	 * 64 KB here), never raise them: a connection that asks for 10 minutes and 2 GiB still times
	 * out after the operator's second and refuses the oversized body.
	 */
	@org.junit.jupiter.api.Test
	void connectionLimitsFromTheUserOnlyLowerTheOperatorsCaps() throws Exception {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			McpAuthorizationService.AuthorizationStart connect = this.authorization.connect(alice,
					new NewConnection(peer.mcpUrl(), null, java.util.Set.of(), java.time.Duration.ofMinutes(10),
							new ConnectionLimits(java.time.Duration.ofMinutes(2), (long) Integer.MAX_VALUE)),
					null, java.net.URI.create("http://127.0.0.1/callback"));
			java.net.URI redirect = TestOAuthPeer.authorizeRedirect(connect.authorizationUrl());
			Map<String, String> query = new LinkedHashMap<>();
			for (String pair : redirect.getRawQuery().split("&")) {
				String[] kv = pair.split("=", 2);
				query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
			}
			this.authorization.complete(alice, new CallbackParameters(query.get("code"), query.get("state"),
					query.get("iss"), null, null));
			UUID id = connect.connection().id();
			this.executor.callTool(alice, id, "echo", Map.of("message", "warm"));
			int tried = 0;
			int held = 0;
			for (TestOAuthPeer.McpFault fault : new TestOAuthPeer.McpFault[] { TestOAuthPeer.McpFault.OVERSIZED,
					TestOAuthPeer.McpFault.SLOW }) {
				peer.mcpFault = fault;
				tried++;
				try {
					this.executor.callTool(alice, id, "echo", Map.of("message", "x"));
					System.out.printf("[Faults suite] self-raised limit: %s went through%n", fault);
				}
				catch (McpConnectorException ex) {
					held++;
				}
				peer.mcpFault = TestOAuthPeer.McpFault.NONE;
				this.executor.close(alice, id);
			}
			System.out.printf("[Faults suite] limits a user raised for themselves: tried %d, the operator's cap held %d%n",
					tried, held);
			assertThat(held).isEqualTo(tried);
		}
	}

	/**
	 * Ten connections whose tokens expired refresh at once while the application's pool has two
	 * database connections: the refresh lock must not hold one of the two across the token
	 * request while the refresh needs the other, or the refreshes wait on each other until the
	 * pool times out. The token endpoint takes 300 ms, so the refreshes overlap.
	 */
	@Test
	void tenConcurrentRefreshesOfTenConnectionsWithAPoolOfTwoAllComplete() throws Exception {
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key());
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("mcp.connector.authorization.refresh-skew=0s");
		properties.add("spring.datasource.hikari.maximum-pool-size=2");
		properties.add("spring.datasource.hikari.connection-timeout=5000");
		try (TestOAuthPeer peer = new TestOAuthPeer();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
					.web(WebApplicationType.NONE)
					.properties(properties.toArray(String[]::new))
					.run()) {
			McpAuthorizationService authorization = context.getBean(McpAuthorizationService.class);
			McpConnectionRepository repository = context.getBean(McpConnectionRepository.class);
			Map<McpOwner, UUID> connections = new LinkedHashMap<>();
			for (int i = 0; i < 10; i++) {
				McpOwner owner = McpOwner.of("pool-" + i + "-" + UUID.randomUUID());
				UUID id = peer.connectAndConsent(authorization, owner);
				expire(repository, owner, id);
				connections.put(owner, id);
			}
			peer.tokenDelayMillis = 300;
			long refreshesBefore = refreshRequests(peer);
			ExecutorService pool = Executors.newFixedThreadPool(connections.size());
			CountDownLatch start = new CountDownLatch(1);
			Map<McpOwner, Future<ConnectionCredentials>> refreshes = new LinkedHashMap<>();
			connections.forEach((owner, id) -> refreshes.put(owner, pool.submit(() -> {
				start.await();
				return authorization.credentials(owner, id).orElseThrow();
			})));
			start.countDown();
			int completed = 0;
			List<String> failures = new ArrayList<>();
			for (Map.Entry<McpOwner, Future<ConnectionCredentials>> refresh : refreshes.entrySet()) {
				try {
					ConnectionCredentials credentials = refresh.getValue().get(60, TimeUnit.SECONDS);
					assertThat(credentials.isExpired(Instant.now(), java.time.Duration.ZERO)).isFalse();
					completed++;
				}
				catch (java.util.concurrent.ExecutionException ex) {
					failures.add(ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage());
				}
			}
			pool.shutdown();
			int active = ((HikariDataSource) unwrap(context.getBean(DataSource.class))).getHikariPoolMXBean()
				.getActiveConnections();
			System.out.printf("[Faults suite] 10 concurrent refreshes of 10 connections with a pool of 2: completed %d,"
					+ " failed %d, refresh requests %d, busy database connections %d%n", completed, failures.size(),
					refreshRequests(peer) - refreshesBefore, active);
			assertThat(failures).isEmpty();
			assertThat(completed).isEqualTo(10);
			assertThat(refreshRequests(peer) - refreshesBefore).isEqualTo(10);
			connections.forEach((owner, id) -> assertThat(repository.find(owner, id))
				.hasValueSatisfying((c) -> assertThat(c.status()).isEqualTo(ConnectionStatus.ACTIVE)));
			assertThat(active).isZero();
		}
	}

	/**
	 * The database stops taking audit rows (another transaction locks the table) while tool
	 * calls go on: the audit queue, one event large here, fills and drops what does not fit.
	 * Every drop is counted in {@code mcp.connector.audit.dropped} and warned about: once the
	 * table is free again, the rows stored and the drops counted add up to the calls made.
	 */
	@Test
	void auditQueueWhenFullCountsEveryDropInTheMetricAndWarns() throws Exception {
		TestDatabase own = TestPostgres.newDatabase();
		List<String> properties = new ArrayList<>(List.of(own.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key());
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("mcp.connector.audit.queue-capacity=1");
		properties.add("mcp.connector.audit.batch-size=1");
		ch.qos.logback.classic.Logger auditLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger("dev.mcpconnector.audit.JdbcAuditLog");
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings = new ch.qos.logback.core.read.ListAppender<>();
		warnings.start();
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		int calls = 20;
		try (TestOAuthPeer peer = new TestOAuthPeer();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
					.web(WebApplicationType.NONE)
					.properties(properties.toArray(String[]::new))
					.run();
				java.sql.Connection locker = own.dataSource().getConnection()) {
			// Attached once the context runs: starting one resets the logging configuration.
			auditLogger.addAppender(warnings);
			UUID id = peer.connectAndConsent(context.getBean(McpAuthorizationService.class), alice);
			McpToolExecutor executor = context.getBean(McpToolExecutor.class);
			dev.mcpconnector.audit.AuditLog jdbcLog = context.getBean("mcpConnectorAuditLog",
					dev.mcpconnector.audit.AuditLog.class);
			executor.callTool(alice, id, "echo", Map.of("message", "warm"));
			dev.mcpconnector.audit.TestAuditLogs.flush(jdbcLog);
			long before = toolCallRows(own, alice);
			locker.setAutoCommit(false);
			locker.createStatement().execute("lock table mcp_audit_event in access exclusive mode");
			for (int i = 0; i < calls; i++) {
				executor.callTool(alice, id, "echo", Map.of("message", "while the audit table is locked " + i));
			}
			locker.rollback();
			dev.mcpconnector.audit.TestAuditLogs.flush(jdbcLog);
			long stored = toolCallRows(own, alice) - before;
			double dropped = context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
				.get("mcp.connector.audit.dropped")
				.functionCounter()
				.count();
			List<String> warned = warnings.list.stream()
				.filter((event) -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
				.map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
				.toList();
			System.out.printf("[Faults suite] audit table locked during %d calls: %d audit events stored, %.0f dropped"
					+ " and counted, %d warning(s)%n", calls, stored, dropped, warned.size());
			assertThat(dropped).isPositive();
			assertThat(stored + (long) dropped).as("stored + counted drops").isEqualTo(calls);
			assertThat(warned).anyMatch((message) -> message.contains("dropped"));
		}
		finally {
			auditLogger.detachAppender(warnings);
		}
	}

	private static long toolCallRows(TestDatabase database, McpOwner owner) throws java.sql.SQLException {
		try (java.sql.Connection connection = database.dataSource().getConnection();
				java.sql.PreparedStatement count = connection
					.prepareStatement("select count(*) from mcp_audit_event where owner_id = ? and type = 'TOOL_CALL'")) {
			count.setString(1, owner.principal());
			try (java.sql.ResultSet rows = count.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	private static long refreshRequests(TestOAuthPeer peer) {
		return peer.tokenRequests().stream().filter((form) -> "refresh_token".equals(form.get("grant_type"))).count();
	}

	private int attemptTyped(McpOwner owner, UUID id, int attempts) {
		int typed = 0;
		for (int i = 0; i < attempts; i++) {
			this.executor.close(owner, id);
			try {
				this.executor.callTool(owner, id, "echo", Map.of("message", "x"));
			}
			catch (McpConnectorException ex) {
				typed++;
			}
			catch (RuntimeException ex) {
				// untyped
			}
		}
		return typed;
	}

	private void expire(McpOwner owner, UUID id) {
		expire(this.repository, owner, id);
	}

	private static void expire(McpConnectionRepository repository, McpOwner owner, UUID id) {
		ConnectionCredentials current = repository.findCredentials(owner, id).orElseThrow();
		repository.saveCredentials(owner, id, new ConnectionCredentials(current.accessToken(),
				current.refreshToken(), current.tokenType(), Instant.now().minusSeconds(60), current.scopes()));
	}


	private static DataSource unwrap(DataSource dataSource) throws Exception {
		return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : dataSource;
	}

}
