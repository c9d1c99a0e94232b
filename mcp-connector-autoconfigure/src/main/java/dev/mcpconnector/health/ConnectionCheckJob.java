package dev.mcpconnector.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.ConnectionCheck;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.scheduling.FixedDelayJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Checks connections nobody used for a while, so the status a frontend shows ({@code ACTIVE},
 * {@code REAUTHORIZATION_REQUIRED}, {@code UNREACHABLE}) is current before the AI tries to use
 * one. Each run claims a batch of active or unreachable connections not checked within the
 * interval ({@code for update skip locked}, so several instances split the work and none checks a
 * connection twice) and runs {@link McpToolExecutor#check} on each. A connection with a live
 * session on this instance is in use and only has its claim renewed; a session the check had to
 * open is closed again.
 */
public class ConnectionCheckJob extends FixedDelayJob {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionCheckJob.class);

	private static final String CLAIM = "update mcp_connection set checked_at = ? where id in (select id from"
			+ " mcp_connection where status in ('ACTIVE', 'UNREACHABLE') and (checked_at is null or checked_at < ?)"
			+ " order by checked_at nulls first limit ? for update skip locked)"
			+ " returning cast(id as varchar), tenant_id, owner_id";

	private final JdbcClient jdbc;

	private final McpToolExecutor executor;

	private final Duration interval;

	private final int batchSize;

	private final Clock clock;

	/**
	 * @param dataSource where mcp-connector's tables live
	 * @param executor runs the checks
	 * @param interval time between runs, and the least time between two checks of a connection
	 * @param batchSize most connections one run checks
	 * @param clock the clock
	 */
	public ConnectionCheckJob(DataSource dataSource, McpToolExecutor executor, Duration interval, int batchSize,
			Clock clock) {
		super("mcp-connector-connection-check", interval);
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(executor, "executor cannot be null");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.notNull(clock, "clock cannot be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.executor = executor;
		this.interval = interval;
		this.batchSize = batchSize;
		this.clock = clock;
	}

	/**
	 * Claim and check one batch now, on the caller's thread.
	 * @return the checks that ran (connections in use on this instance are skipped)
	 */
	public List<ConnectionCheck> runOnce() {
		Instant now = this.clock.instant();
		List<Claimed> claimed = this.jdbc.sql(CLAIM)
			.params(OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
					OffsetDateTime.ofInstant(now.minus(this.interval), ZoneOffset.UTC), this.batchSize)
			.query((rs, row) -> new Claimed(UUID.fromString(rs.getString(1)), McpOwner.of(rs.getString(2), rs.getString(3))))
			.list();
		List<ConnectionCheck> checks = new java.util.ArrayList<>();
		for (Claimed connection : claimed) {
			if (Thread.currentThread().isInterrupted()) {
				break;
			}
			try {
				this.executor.checkIdle(connection.owner(), connection.id()).ifPresent(checks::add);
			}
			catch (RuntimeException ex) {
				logger.debug("Checking connection {} failed: {}", connection.id(), ex.getClass().getSimpleName());
			}
		}
		if (!checks.isEmpty()) {
			logger.debug("Checked {} idle connection(s)", checks.size());
		}
		return checks;
	}

	@Override
	protected void runScheduled() {
		runOnce();
	}

	private record Claimed(UUID id, McpOwner owner) {
	}

}
