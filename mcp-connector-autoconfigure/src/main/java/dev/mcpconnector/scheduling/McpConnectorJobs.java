package dev.mcpconnector.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.context.SmartLifecycle;

/**
 * The connector's scheduled jobs, each on its own daemon thread with a fixed delay between
 * runs while the application context runs; a run that fails is logged and does not cancel the
 * schedule. Define a job as a bean: the context starts and stops it.
 */
public final class McpConnectorJobs {

	private McpConnectorJobs() {
	}

	/**
	 * Scheduled clean-up: audit rows older than the retention period, expired pending
	 * authorizations, then every further {@link RetentionTask}. Deletes run in small batches
	 * picked with {@code for update skip locked}, so several instances split the work.
	 * @param dataSource where mcp-connector's tables live
	 * @param tables the schema of mcp-connector's tables
	 * @param auditRetention how long audit rows are kept; {@code null} or zero keeps them for
	 * ever
	 * @param interval time between two runs
	 * @param batchSize most rows one delete statement removes
	 * @param clock the clock
	 * @param tasks further clean-ups, run after the built-in ones
	 * @return the job
	 */
	public static SmartLifecycle retention(DataSource dataSource, McpConnectorTables tables, Duration auditRetention,
			Duration interval, int batchSize, Clock clock, List<RetentionTask> tasks) {
		return new RetentionJob(dataSource, tables, auditRetention, interval, batchSize, clock, tasks);
	}

	/**
	 * Checks connections nobody used for a while, so the status a frontend shows is current:
	 * each run claims a batch through {@link McpConnectionRepository#claimForCheck} (several
	 * instances split the work) and runs {@link McpToolExecutor#check} on each.
	 * @param repository where the connections are claimed
	 * @param executor runs the checks
	 * @param interval time between runs, and the least time between two checks of a connection
	 * @param batchSize most connections one run checks
	 * @param clock the clock
	 * @return the job
	 * @throws IllegalStateException if the repository does not implement
	 * {@link McpConnectionRepository#claimForCheck}
	 */
	public static SmartLifecycle connectionCheck(McpConnectionRepository repository, McpToolExecutor executor,
			Duration interval, int batchSize, Clock clock) {
		return new ConnectionCheckJob(repository, executor, interval, batchSize, clock);
	}

}
