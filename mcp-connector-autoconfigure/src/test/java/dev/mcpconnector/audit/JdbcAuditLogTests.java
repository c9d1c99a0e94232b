package dev.mcpconnector.audit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The JDBC audit log on a real PostgreSQL: asynchronous, batched, nothing lost on a graceful
 * stop.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JdbcAuditLogTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private final McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", TestKeys::newBase64Key);
	}

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void recordDoesNotTouchTheDatabaseAndWritesInBatches() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger connections = new AtomicInteger();
		DataSource blocking = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				connections.incrementAndGet();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return super.getConnection();
			}
		};
		JdbcAuditLog log = new JdbcAuditLog(blocking,
				McpConnectorTables.inDefaultSchema(), 10_000, 500, Duration.ofMillis(200), Duration.ofSeconds(30));
		log.start();
		try {
			long started = System.nanoTime();
			for (int i = 0; i < 1_200; i++) {
				log.record(toolCall(this.alice, Instant.now(), "tool-" + (i % 3), "ok", 10L));
			}
			long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			// The database is blocked, yet every record() returned, and nothing is written yet.
			assertThat(elapsedMillis).isLessThan(2_000);
			assertThat(countOf(this.alice)).isZero();

			release.countDown();
			log.flush();
			assertThat(countOf(this.alice)).isEqualTo(1_200);
			assertThat(log.writtenCount()).isEqualTo(1_200);
			// Written in batches of at most 500, not row by row.
			assertThat(log.batchCount()).isBetween(3L, 6L);
			assertThat(connections.get()).isEqualTo((int) log.batchCount());
			assertThat(log.droppedCount()).isZero();
			assertThat(log.failedCount()).isZero();
		}
		finally {
			release.countDown();
			log.stop();
		}
	}

	@Test
	void eventsAreWrittenWithoutAnExplicitFlush() throws Exception {
		JdbcAuditLog log = new JdbcAuditLog(this.dataSource);
		log.start();
		try {
			log.record(toolCall(this.alice, Instant.now(), "search", "ok", 5L));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (countOf(this.alice) == 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(countOf(this.alice)).isEqualTo(1);
		}
		finally {
			log.stop();
		}
	}

	@Test
	void gracefulStopWritesEveryQueuedEvent() throws Exception {
		// The database answers only once stop() has begun: every event is still in memory then.
		CountDownLatch release = new CountDownLatch(1);
		DataSource slow = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return super.getConnection();
			}
		};
		JdbcAuditLog log = new JdbcAuditLog(slow);
		log.start();
		int threads = 4;
		int perThread = 2_500;
		List<Thread> producers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread producer = new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					log.record(toolCall(this.alice, Instant.now(), "tool-" + (i % 7), (i % 10 == 0) ? "failed" : "ok",
							(long) i));
				}
			});
			producers.add(producer);
			producer.start();
		}
		for (Thread producer : producers) {
			producer.join();
		}
		assertThat(log.droppedCount()).isZero();
		assertThat(countOf(this.alice)).isZero();
		assertThat(log.queuedCount()).isGreaterThanOrEqualTo(10_000 - 500);
		Thread releaser = new Thread(() -> {
			sleep(300);
			release.countDown();
		});
		releaser.start();
		log.stop();
		releaser.join();
		assertThat(log.isRunning()).isFalse();
		assertThat(log.queuedCount()).isZero();
		assertThat(countOf(this.alice)).isEqualTo(10_000);
		assertThat(log.writtenCount()).isEqualTo(10_000);
		assertThat(log.failedCount()).isZero();
		log.destroy();
		assertThat(countOf(this.alice)).isEqualTo(10_000);
	}

	@Test
	void closingTheApplicationContextWritesEveryQueuedEvent() {
		TestDatabase own = TestPostgres.newDatabase();
		List<String> properties = new ArrayList<>(List.of(own.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key());
		properties.add("spring.main.web-application-type=none");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
				AuditLogConfiguration.class)
			.properties(properties.toArray(String[]::new))
			.run();
		JdbcAuditLog log = context.getBean(JdbcAuditLog.class);
		assertThat(log.isRunning()).isTrue();
		for (int i = 0; i < 10_000; i++) {
			log.record(toolCall(this.alice, Instant.now(), "t", "ok", (long) i));
		}
		JdbcTemplate raw = new JdbcTemplate(own.dataSource());
		// The writer waits for a fuller batch: nothing is written yet when the context closes.
		assertThat(raw.queryForObject("select count(*) from mcp_audit_event", Long.class)).isZero();
		context.close();
		assertThat(log.isRunning()).isFalse();
		assertThat(raw.queryForObject("select count(*) from mcp_audit_event", Long.class)).isEqualTo(10_000);
		assertThat(log.droppedCount() + log.failedCount()).isZero();
	}

	@Configuration(proxyBeanMethods = false)
	static class AuditLogConfiguration {

		@Bean
		JdbcAuditLog auditLog(DataSource dataSource) {
			return new JdbcAuditLog(dataSource,
					McpConnectorTables.inDefaultSchema(), 100_000, 100_000, Duration.ofSeconds(20),
					Duration.ofSeconds(30));
		}

	}

	@Test
	void eventsRecordedAfterStopAreWrittenOnDestroy() {
		JdbcAuditLog log = new JdbcAuditLog(this.dataSource);
		log.start();
		log.stop();
		log.record(toolCall(this.alice, Instant.now(), "late", "ok", 1L));
		log.destroy();
		assertThat(countOf(this.alice)).isEqualTo(1);
	}

	@Test
	void whenQueueIsFullThenRecordDropsAndCountsWithoutBlocking() {
		JdbcAuditLog log = new JdbcAuditLog(this.dataSource,
				McpConnectorTables.inDefaultSchema(), 10, 500, Duration.ofMillis(200), Duration.ofSeconds(5));
		// Not started: nothing takes from the queue.
		for (int i = 0; i < 25; i++) {
			log.record(toolCall(this.alice, Instant.now(), "t", "ok", 1L));
		}
		assertThat(log.droppedCount()).isEqualTo(15);
		log.flush();
		assertThat(countOf(this.alice)).isEqualTo(10);
	}

	@Test
	void everyFieldIsStoredAndLongValuesAreTruncated() {
		JdbcAuditLog log = new JdbcAuditLog(this.dataSource);
		UUID connectionId = UUID.randomUUID();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
		McpOwner tenanted = McpOwner.of("acme", "carol-" + UUID.randomUUID());
		log.record(new AuditEvent(at, tenanted, AuditEvent.Type.APPROVAL_DECISION, connectionId, "delete_repo",
				"approved", "approval", null, "x".repeat(2_000) + "\u0000", "admin@example.com"));
		log.record(new AuditEvent(at, tenanted, AuditEvent.Type.CONNECT, null, null, "ok", null, null, null, null));
		log.flush();
		List<AuditQuery.Row> records = new AuditQuery(this.dataSource).forOwner(tenanted, null, 10, 0);
		assertThat(records).hasSize(2);
		AuditQuery.Row approval = records.stream()
			.filter((r) -> r.type() == AuditEvent.Type.APPROVAL_DECISION)
			.findFirst()
			.orElseThrow();
		assertThat(approval.at()).isEqualTo(at);
		assertThat(approval.owner()).isEqualTo(tenanted);
		assertThat(approval.connectionId()).isEqualTo(connectionId);
		assertThat(approval.tool()).isEqualTo("delete_repo");
		assertThat(approval.outcome()).isEqualTo("approved");
		assertThat(approval.decision()).isEqualTo("approval");
		assertThat(approval.latencyMillis()).isNull();
		assertThat(approval.detail()).hasSize(JdbcAuditLog.MAX_DETAIL_LENGTH).matches("x+");
		assertThat(approval.actor()).isEqualTo("admin@example.com");
		AuditQuery.Row connect = records.stream()
			.filter((r) -> r.type() == AuditEvent.Type.CONNECT)
			.findFirst()
			.orElseThrow();
		assertThat(connect.connectionId()).isNull();
		assertThat(connect.tool()).isNull();
	}

	@Test
	void whenDatabaseUnreachableThenBatchIsRetriedUntilItIsBack() {
		AtomicInteger attempts = new AtomicInteger();
		DataSource flaky = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				if (attempts.incrementAndGet() <= 2) {
					throw new SQLException("refused", "08001"); // connection could not be established
				}
				return super.getConnection();
			}
		};
		JdbcAuditLog log = new JdbcAuditLog(flaky, McpConnectorTables.inDefaultSchema(), 100, 500,
				Duration.ofMillis(50), Duration.ofSeconds(30));
		log.start();
		try {
			for (int i = 0; i < 10; i++) {
				log.record(toolCall(this.alice, Instant.now(), "search", "ok", 1L));
			}
			log.flush();
			assertThat(countOf(this.alice)).isEqualTo(10);
			// Retried as one batch, not written row by row and not lost.
			assertThat(attempts.get()).isEqualTo(3);
			assertThat(log.batchCount()).isEqualTo(1);
			assertThat(log.failedCount()).isZero();
		}
		finally {
			log.stop();
		}
	}

	@Test
	void whenDatabaseRefusesTheBatchThenRowsAreWrittenOneByOne() {
		DataSource refusingBatches = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				return refusingBatches(super.getConnection());
			}
		};
		JdbcAuditLog log = new JdbcAuditLog(refusingBatches, McpConnectorTables.inDefaultSchema(), 100, 500,
				Duration.ofMillis(50), Duration.ofSeconds(30));
		for (int i = 0; i < 4; i++) {
			log.record(toolCall(this.alice, Instant.now(), "search", "ok", 1L));
		}
		log.flush();
		assertThat(countOf(this.alice)).isEqualTo(4);
		assertThat(log.batchCount()).isZero();
		assertThat(log.writtenCount()).isEqualTo(4);
		assertThat(log.failedCount()).isZero();
	}

	@Test
	void whenTheBatchKeepsFailingAsUnavailableThenRetriesAreBoundedAndRowsAreWrittenOneByOne() {
		AtomicInteger batchAttempts = new AtomicInteger();
		DataSource diskFull = new DelegatingDataSource(this.dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				return failingBatches(super.getConnection(), batchAttempts);
			}
		};
		JdbcAuditLog log = new JdbcAuditLog(diskFull, McpConnectorTables.inDefaultSchema(), 100, 500,
				Duration.ofMillis(50), Duration.ofSeconds(30));
		for (int i = 0; i < 4; i++) {
			log.record(toolCall(this.alice, Instant.now(), "search", "ok", 1L));
		}
		log.record(toolCall(this.alice, Instant.now(), "too-complex", "ok", 1L));
		log.start();
		try {
			// Unbounded retries would never return: the writer thread would retry this batch for ever.
			assertTimeoutPreemptively(Duration.ofSeconds(60), log::flush);
			assertThat(countOf(this.alice)).isEqualTo(4);
			assertThat(batchAttempts.get()).isEqualTo(JdbcAuditWriter.CONNECTED_ATTEMPTS);
			assertThat(log.batchCount()).isZero();
			assertThat(log.writtenCount()).isEqualTo(4);
			assertThat(log.failedCount()).isEqualTo(1);
		}
		finally {
			log.stop();
		}
	}

	/**
	 * A connection whose {@code executeBatch} always fails with 53100 (disk full, which Spring
	 * counts as a transient resource failure) and whose single inserts fail with 54001
	 * (statement too complex) for the tool {@code too-complex}.
	 */
	private static Connection failingBatches(Connection connection, AtomicInteger batchAttempts) {
		return (Connection) Proxy.newProxyInstance(JdbcAuditLogTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					Object result = invoke(connection, method, args);
					if (result instanceof PreparedStatement statement) {
						AtomicReference<Object> tool = new AtomicReference<>();
						return Proxy.newProxyInstance(JdbcAuditLogTests.class.getClassLoader(),
								new Class<?>[] { PreparedStatement.class }, (p, m, a) -> {
									if (m.getName().equals("setString") && Integer.valueOf(6).equals(a[0])) {
										tool.set(a[1]);
									}
									if (m.getName().equals("executeBatch")) {
										batchAttempts.incrementAndGet();
										throw new BatchUpdateException("could not extend file", "53100", new int[0]);
									}
									if (m.getName().equals("executeUpdate") && "too-complex".equals(tool.get())) {
										throw new SQLException("statement is too complex", "54001");
									}
									return invoke(statement, m, a);
								});
					}
					return result;
				});
	}

	/** A connection whose statements refuse {@code executeBatch} the way a constraint would. */
	private static Connection refusingBatches(Connection connection) {
		return (Connection) Proxy.newProxyInstance(JdbcAuditLogTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					Object result = invoke(connection, method, args);
					if (result instanceof PreparedStatement statement) {
						return Proxy.newProxyInstance(JdbcAuditLogTests.class.getClassLoader(),
								new Class<?>[] { PreparedStatement.class }, (p, m, a) -> {
									if (m.getName().equals("executeBatch")) {
										throw new BatchUpdateException("refused", "23514", new int[0]);
									}
									return invoke(statement, m, a);
								});
					}
					return result;
				});
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private long countOf(McpOwner owner) {
		Long count = this.jdbc.queryForObject(
				"select count(*) from mcp_audit_event where tenant_id = ? and owner_id = ?", Long.class,
				owner.tenantId(), owner.principal());
		return (count != null) ? count : 0;
	}

	static AuditEvent toolCall(McpOwner owner, Instant at, String tool, String outcome, Long latency) {
		return new AuditEvent(at, owner, AuditEvent.Type.TOOL_CALL, UUID.randomUUID(), tool, outcome, "allow",
				latency, null, null);
	}

}
