package dev.mcpconnector.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.mcpconnector.jpa.McpConnectorTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Scheduled clean-up: audit rows older than the retention period, expired pending
 * authorizations, and any further {@link RetentionTask}s. Deletes run in small batches (each
 * its own statement and transaction) whose rows are picked with {@code for update skip locked},
 * so several instances running the job at once split the work instead of waiting on each other,
 * and a re-run deletes nothing twice. Usage needs no clean-up of its own: it is derived from
 * the audit rows.
 */
class RetentionJob extends FixedDelayJob {

	/** Result key of the audit rows deleted. */
	static final String AUDIT_EVENTS = "audit-events";

	/** Result key of the pending authorizations deleted. */
	static final String PENDING_AUTHORIZATIONS = "pending-authorizations";

	private static final Logger logger = LoggerFactory.getLogger(RetentionJob.class);

	private final JdbcClient jdbc;

	private final String deleteAudit;

	private final String deletePending;

	private final Duration auditRetention;

	private final int batchSize;

	private final Clock clock;

	private final List<RetentionTask> tasks;

	/**
	 * A retention job.
	 * @param dataSource where mcp-connector's tables live
	 * @param tables the schema of mcp-connector's tables
	 * @param auditRetention how long audit rows are kept; {@code null} or zero keeps them for
	 * ever
	 * @param interval time between two runs
	 * @param batchSize most rows one delete statement removes
	 * @param clock the clock
	 * @param tasks further clean-ups, run after the built-in ones
	 */
	RetentionJob(DataSource dataSource, McpConnectorTables tables, Duration auditRetention, Duration interval,
			int batchSize, Clock clock, List<RetentionTask> tasks) {
		super("mcp-connector-retention", interval);
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		Assert.isTrue(auditRetention == null || !auditRetention.isNegative(), "auditRetention cannot be negative");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.notNull(clock, "clock cannot be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.deleteAudit = deleteInBatchSql(tables.auditEvent(), "occurred_at");
		this.deletePending = deleteInBatchSql(tables.pendingAuthorization(), "expires_at");
		this.auditRetention = auditRetention;
		this.batchSize = batchSize;
		this.clock = clock;
		this.tasks = (tasks != null) ? List.copyOf(tasks) : List.of();
	}

	/**
	 * Run every clean-up once, now, on the caller's thread. A failing clean-up is logged and
	 * does not stop the others.
	 * @return rows deleted by clean-up name ({@link #AUDIT_EVENTS},
	 * {@link #PENDING_AUTHORIZATIONS}, then each task's name); -1 for one that failed
	 */
	Map<String, Long> runOnce() {
		Instant now = this.clock.instant();
		Map<String, Long> result = new LinkedHashMap<>();
		if (this.auditRetention != null && !this.auditRetention.isZero()) {
			Instant cutoff = now.minus(this.auditRetention);
			result.put(AUDIT_EVENTS, run(AUDIT_EVENTS, () -> deleteInBatches(this.deleteAudit, cutoff)));
		}
		result.put(PENDING_AUTHORIZATIONS, run(PENDING_AUTHORIZATIONS, () -> deleteInBatches(this.deletePending, now)));
		for (RetentionTask task : this.tasks) {
			result.put(task.name(), run(task.name(), () -> task.purge(now)));
		}
		if (result.values().stream().anyMatch((count) -> count > 0)) {
			logger.info("mcp-connector retention deleted {}", result);
		}
		return result;
	}

	/** Deletes one batch of rows older than a cut-off, skipping rows another instance holds. */
	private static String deleteInBatchSql(String table, String timeColumn) {
		return "delete from " + table + " where ctid in (select ctid from " + table + " where " + timeColumn
				+ " < ? limit ? for update skip locked)";
	}

	private long deleteInBatches(String sql, Instant before) {
		OffsetDateTime cutoff = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
		long total = 0;
		while (true) {
			int deleted = this.jdbc.sql(sql).params(cutoff, this.batchSize).update();
			total += deleted;
			// Fewer than a batch: done, or another instance holds the rest and deletes them.
			if (deleted < this.batchSize || Thread.currentThread().isInterrupted()) {
				return total;
			}
		}
	}

	private static long run(String name, java.util.function.LongSupplier cleanUp) {
		try {
			return cleanUp.getAsLong();
		}
		catch (RuntimeException ex) {
			logger.warn("mcp-connector retention of {} failed: {}", name, ex.toString());
			return -1;
		}
	}

	@Override
	protected void runScheduled() {
		runOnce();
	}

}
