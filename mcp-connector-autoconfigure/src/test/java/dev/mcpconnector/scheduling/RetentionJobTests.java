package dev.mcpconnector.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.TestAuditLogs;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a real PostgreSQL: old audit rows and expired pending authorizations go, the
 * rest stays, and several instances may run it at once.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RetentionJobTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");

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
	void deletesOldAuditRowsAndExpiredPendingAuthorizationsOnly() {
		clear();
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		AuditLog log = TestAuditLogs.jdbc(this.dataSource);
		Instant cutoff = NOW.minus(Duration.ofDays(90));
		for (int i = 0; i < 25; i++) {
			log.record(event(alice, cutoff.minus(Duration.ofHours(1 + i))));
		}
		for (int i = 0; i < 10; i++) {
			log.record(event(alice, cutoff.plus(Duration.ofHours(1 + i))));
		}
		TestAuditLogs.flush(log);
		UUID connection = insertConnection(alice);
		for (int i = 0; i < 12; i++) {
			insertPending(alice, connection, NOW.minus(Duration.ofMinutes(1 + i)));
		}
		for (int i = 0; i < 3; i++) {
			insertPending(alice, connection, NOW.plus(Duration.ofMinutes(1 + i)));
		}
		AtomicInteger extra = new AtomicInteger();
		RetentionTask approvals = RetentionTask.of("approvals", (now) -> {
			assertThat(now).isEqualTo(NOW);
			return extra.incrementAndGet();
		});

		Map<String, Long> result = job(Duration.ofDays(90), 7, List.of(approvals)).runOnce();

		assertThat(result).containsEntry(RetentionJob.AUDIT_EVENTS, 25L)
			.containsEntry(RetentionJob.PENDING_AUTHORIZATIONS, 12L)
			.containsEntry("approvals", 1L);
		assertThat(count("select count(*) from mcp_audit_event")).isEqualTo(10);
		assertThat(count("select count(*) from mcp_audit_event where occurred_at < ?",
				OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))).isZero();
		assertThat(count("select count(*) from mcp_pending_authorization")).isEqualTo(3);
		assertThat(count("select count(*) from mcp_pending_authorization where expires_at < ?",
				OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))).isZero();

		// Idempotent: a second run finds nothing.
		assertThat(job(Duration.ofDays(90), 7, List.of()).runOnce())
			.containsEntry(RetentionJob.AUDIT_EVENTS, 0L)
			.containsEntry(RetentionJob.PENDING_AUTHORIZATIONS, 0L);
	}

	@Test
	void instancesRunningAtOnceDeleteEachRowOnce() throws Exception {
		clear();
		McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());
		AuditLog log = TestAuditLogs.jdbc(this.dataSource);
		for (int i = 0; i < 5_000; i++) {
			log.record(event(bob, NOW.minus(Duration.ofDays(200)).plusSeconds(i)));
		}
		for (int i = 0; i < 100; i++) {
			log.record(event(bob, NOW.minus(Duration.ofDays(1)).plusSeconds(i)));
		}
		TestAuditLogs.flush(log);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Map<String, Long>>> instances = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				instances.add(() -> job(Duration.ofDays(90), 100, List.of()).runOnce());
			}
			long deleted = 0;
			for (Future<Map<String, Long>> run : pool.invokeAll(instances)) {
				Long count = run.get().get(RetentionJob.AUDIT_EVENTS);
				assertThat(count).isNotNegative();
				deleted += count;
			}
			// A run may stop early when another holds the remaining rows: a last run finishes.
			deleted += job(Duration.ofDays(90), 100, List.of()).runOnce().get(RetentionJob.AUDIT_EVENTS);
			assertThat(deleted).isEqualTo(5_000);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(count("select count(*) from mcp_audit_event")).isEqualTo(100);
	}

	@Test
	void zeroRetentionKeepsAuditRows() {
		clear();
		McpOwner carol = McpOwner.of("carol-" + UUID.randomUUID());
		AuditLog log = TestAuditLogs.jdbc(this.dataSource);
		log.record(event(carol, NOW.minus(Duration.ofDays(5_000))));
		TestAuditLogs.flush(log);
		Map<String, Long> result = job(Duration.ZERO, 100, List.of()).runOnce();
		assertThat(result).doesNotContainKey(RetentionJob.AUDIT_EVENTS);
		assertThat(count("select count(*) from mcp_audit_event")).isEqualTo(1);
	}

	@Test
	void scheduleRunsWithTheLifecycle() throws Exception {
		clear();
		McpOwner dave = McpOwner.of("dave-" + UUID.randomUUID());
		AuditLog log = TestAuditLogs.jdbc(this.dataSource);
		log.record(event(dave, NOW.minus(Duration.ofDays(100))));
		TestAuditLogs.flush(log);
		RetentionJob job = new RetentionJob(this.dataSource,
				McpConnectorTables.inDefaultSchema(), Duration.ofDays(90), Duration.ofMillis(50), 100,
				Clock.fixed(NOW, ZoneOffset.UTC), List.of());
		job.start();
		try {
			assertThat(job.isRunning()).isTrue();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (count("select count(*) from mcp_audit_event") > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(count("select count(*) from mcp_audit_event")).isZero();
		}
		finally {
			job.stop();
		}
		assertThat(job.isRunning()).isFalse();
	}

	private RetentionJob job(Duration retention, int batchSize, List<RetentionTask> tasks) {
		return new RetentionJob(this.dataSource,
				McpConnectorTables.inDefaultSchema(), retention, Duration.ofHours(1), batchSize,
				Clock.fixed(NOW, ZoneOffset.UTC), tasks);
	}

	private void clear() {
		this.jdbc.update("delete from mcp_audit_event");
		this.jdbc.update("delete from mcp_pending_authorization");
	}

	private long count(String sql, Object... args) {
		Long count = this.jdbc.queryForObject(sql, Long.class, args);
		return (count != null) ? count : 0;
	}

	private UUID insertConnection(McpOwner owner) {
		UUID id = UUID.randomUUID();
		OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
		this.jdbc.update("insert into mcp_connection (id, tenant_id, owner_id, name, server_url, resource_uri, status,"
				+ " created_at, updated_at, version) values (?, ?, ?, 'test', 'https://mcp.example.com/mcp',"
				+ " 'https://mcp.example.com/mcp', 'AUTHORIZATION_REQUIRED', ?, ?, 0)", id, owner.tenantId(),
				owner.principal(), now, now);
		return id;
	}

	private void insertPending(McpOwner owner, UUID connection, Instant expiresAt) {
		this.jdbc.update("insert into mcp_pending_authorization (state_hash, tenant_id, owner_id, connection_id,"
				+ " code_verifier, issuer, redirect_uri, created_at, expires_at)"
				+ " values (?, ?, ?, ?, ?, 'https://as.example.com', 'https://app.example.com/cb', ?, ?)",
				UUID.randomUUID().toString().replace("-", ""), owner.tenantId(), owner.principal(), connection,
				new byte[] { 1, 2, 3 }, OffsetDateTime.ofInstant(expiresAt.minus(10, ChronoUnit.MINUTES), ZoneOffset.UTC),
				OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
	}

	private static AuditEvent event(McpOwner owner, Instant at) {
		return new AuditEvent(at, owner, AuditEvent.Type.TOOL_CALL, UUID.randomUUID(), "t", "ok", "allow", 1L, null,
				null);
	}

}
