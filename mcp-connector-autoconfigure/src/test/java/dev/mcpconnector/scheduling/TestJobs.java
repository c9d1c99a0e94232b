package dev.mcpconnector.scheduling;

import java.util.List;
import java.util.Map;

import dev.mcpconnector.execution.ConnectionCheck;

import org.springframework.context.SmartLifecycle;

/**
 * Test access to the scheduled jobs, whose types are internal to this package: run the
 * auto-configured ones once, on the test's thread.
 */
public final class TestJobs {

	/** Result key of the audit rows the retention job deleted. */
	public static final String AUDIT_EVENTS = RetentionJob.AUDIT_EVENTS;

	/** Result key of the pending authorizations the retention job deleted. */
	public static final String PENDING_AUTHORIZATIONS = RetentionJob.PENDING_AUTHORIZATIONS;

	private TestJobs() {
	}

	/**
	 * Run the retention job once.
	 * @param job the {@code mcpConnectorRetentionJob} bean
	 * @return rows deleted by clean-up name
	 */
	public static Map<String, Long> runRetention(SmartLifecycle job) {
		return ((RetentionJob) job).runOnce();
	}

	/**
	 * Run the connection check once.
	 * @param job the {@code mcpConnectorConnectionCheckJob} bean
	 * @return the checks
	 */
	public static List<ConnectionCheck> runConnectionCheck(SmartLifecycle job) {
		return ((ConnectionCheckJob) job).runOnce();
	}

	/** A job that does nothing, for back-off tests. */
	public static final class NoOpJob implements SmartLifecycle {

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
