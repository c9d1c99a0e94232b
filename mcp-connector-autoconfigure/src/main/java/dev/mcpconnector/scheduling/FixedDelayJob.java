package dev.mcpconnector.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * A job that runs on its own daemon thread with a fixed delay between runs while the
 * application context runs. A run that fails with an exception is logged and does not cancel the
 * schedule (an {@link Error} does).
 */
abstract class FixedDelayJob implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(FixedDelayJob.class);

	private final String threadName;

	private final Duration interval;

	private final Object monitor = new Object();

	private ScheduledExecutorService scheduler;

	/**
	 * @param threadName the name of the job's thread
	 * @param interval time between the end of one run and the start of the next
	 */
	FixedDelayJob(String threadName, Duration interval) {
		Assert.hasText(threadName, "threadName cannot be empty");
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(), "interval must be positive");
		this.threadName = threadName;
		this.interval = interval;
	}

	/** One scheduled run. */
	protected abstract void runScheduled();

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.scheduler != null) {
				return;
			}
			this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			long periodMillis = this.interval.toMillis();
			long initialDelay = Math.min(periodMillis, Duration.ofMinutes(1).toMillis());
			this.scheduler.scheduleWithFixedDelay(this::runSafely, initialDelay, periodMillis, TimeUnit.MILLISECONDS);
		}
	}

	private void runSafely() {
		try {
			runScheduled();
		}
		catch (RuntimeException ex) {
			logger.warn("{} run failed: {}", this.threadName, ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService stopping;
		synchronized (this.monitor) {
			stopping = this.scheduler;
			this.scheduler = null;
		}
		if (stopping != null) {
			stopping.shutdownNow();
			try {
				stopping.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.scheduler != null;
		}
	}

}
