package dev.mcpconnector.scheduling;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.execution.ConnectionCheck;
import dev.mcpconnector.execution.McpToolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.Assert;

/**
 * Checks connections nobody used for a while, so the status a frontend shows ({@code ACTIVE},
 * {@code REAUTHORIZATION_REQUIRED}, {@code UNREACHABLE}) is current before the AI tries to use
 * one. Each run claims a batch of active or unreachable connections not checked within the
 * interval through {@link McpConnectionRepository#claimForCheck} (several instances split the
 * work and none checks a connection twice) and runs {@link McpToolExecutor#check} on each. A
 * connection with a live session on this instance is in use and only has its claim renewed; a
 * session the check had to open is closed again.
 * <p>
 * A repository that does not implement {@code claimForCheck} (a host's own, relying on the
 * interface's default) is refused when the job is created, so that turning the check on fails
 * the start-up instead of checking nothing.
 */
class ConnectionCheckJob extends FixedDelayJob {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionCheckJob.class);

	private final McpConnectionRepository repository;

	private final McpToolExecutor executor;

	private final Duration interval;

	private final int batchSize;

	private final Clock clock;

	/**
	 * @param repository where the connections are claimed
	 * @param executor runs the checks
	 * @param interval time between runs, and the least time between two checks of a connection
	 * @param batchSize most connections one run checks
	 * @param clock the clock
	 * @throws IllegalStateException if the repository does not implement
	 * {@link McpConnectionRepository#claimForCheck}
	 */
	ConnectionCheckJob(McpConnectionRepository repository, McpToolExecutor executor, Duration interval,
			int batchSize, Clock clock) {
		super("mcp-connector-connection-check", interval);
		Assert.notNull(repository, "repository cannot be null");
		requireClaimForCheck(repository);
		Assert.notNull(executor, "executor cannot be null");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.notNull(clock, "clock cannot be null");
		this.repository = repository;
		this.executor = executor;
		this.interval = interval;
		this.batchSize = batchSize;
		this.clock = clock;
	}

	private static void requireClaimForCheck(McpConnectionRepository repository) {
		Class<?> type = AopUtils.getTargetClass(repository);
		Method claim;
		try {
			claim = type.getMethod("claimForCheck", Instant.class, Instant.class, int.class);
		}
		catch (NoSuchMethodException ex) {
			claim = null;
		}
		if (claim == null || claim.getDeclaringClass() == McpConnectionRepository.class) {
			throw new IllegalStateException("mcp.connector.connection-check.enabled is true, but the"
					+ " McpConnectionRepository " + type.getName() + " does not implement"
					+ " claimForCheck(Instant, Instant, int): implement it (claim due connections across owners,"
					+ " disjoint between instances) or turn the connection check off");
		}
	}

	/**
	 * Claim and check one batch now, on the caller's thread.
	 * @return the checks that ran (connections in use on this instance are skipped)
	 */
	List<ConnectionCheck> runOnce() {
		Instant now = this.clock.instant();
		List<McpConnection> claimed = this.repository.claimForCheck(now.minus(this.interval), now, this.batchSize);
		List<ConnectionCheck> checks = new ArrayList<>();
		for (McpConnection connection : claimed) {
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

}
