package dev.mcpconnector.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link FixedDelayJob}: runs on its own daemon thread, survives failing runs, stops with the context. */
@Tag("fast")
class FixedDelayJobTests {

	@Test
	void startWhenRunningThenRunsRepeatedlyOnItsOwnDaemonThread() throws InterruptedException {
		CountingJob job = new CountingJob(3, (run) -> {
		});
		job.start();
		try {
			assertThat(job.done.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(job.isRunning()).isTrue();
			assertThat(job.threads).allSatisfy((thread) -> {
				assertThat(thread.getName()).isEqualTo("test-job");
				assertThat(thread.isDaemon()).isTrue();
			});
		}
		finally {
			job.stop();
		}
	}

	@Test
	void runWhenItThrowsAnExceptionThenTheScheduleContinues() throws InterruptedException {
		CountingJob job = new CountingJob(3, (run) -> {
			if (run == 1) {
				throw new IllegalStateException("database down");
			}
		});
		job.start();
		try {
			assertThat(job.done.await(5, TimeUnit.SECONDS)).as("runs after a failed one").isTrue();
		}
		finally {
			job.stop();
		}
	}

	@Test
	void runWhenItThrowsAnErrorThenTheScheduleEnds() throws InterruptedException {
		CountingJob job = new CountingJob(1, (run) -> {
			throw new AssertionError("an Error");
		});
		job.start();
		try {
			assertThat(job.done.await(5, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(200);
			assertThat(job.runs.get()).isEqualTo(1);
		}
		finally {
			job.stop();
		}
	}

	@Test
	void stopWhenStartedThenNoMoreRunsAndNotRunning() throws InterruptedException {
		CountingJob job = new CountingJob(1, (run) -> {
		});
		job.start();
		assertThat(job.done.await(5, TimeUnit.SECONDS)).isTrue();
		job.stop();
		assertThat(job.isRunning()).isFalse();
		int runs = job.runs.get();
		Thread.sleep(200);
		assertThat(job.runs.get()).isEqualTo(runs);
		job.stop();
		assertThat(job.isRunning()).isFalse();
	}

	@Test
	void startWhenAlreadyStartedThenOneSchedule() throws InterruptedException {
		CountingJob job = new CountingJob(1, (run) -> {
		});
		assertThat(job.isRunning()).isFalse();
		job.start();
		job.start();
		try {
			assertThat(job.done.await(5, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(100);
			// one thread: a second schedule would run on a second one
			assertThat(job.threads.stream().distinct()).hasSize(1);
		}
		finally {
			job.stop();
		}
	}

	@Test
	void newWhenNameEmptyOrIntervalNotPositiveThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FixedDelayJob("", Duration.ofSeconds(1)) {
			@Override
			protected void runScheduled() {
			}
		});
		for (Duration interval : new Duration[] { null, Duration.ZERO, Duration.ofMillis(-1) }) {
			assertThatIllegalArgumentException().isThrownBy(() -> new FixedDelayJob("job", interval) {
				@Override
				protected void runScheduled() {
				}
			});
		}
	}

	private static final class CountingJob extends FixedDelayJob {

		private final AtomicInteger runs = new AtomicInteger();

		private final List<Thread> threads = new CopyOnWriteArrayList<>();

		private final CountDownLatch done;

		private final IntConsumer body;

		CountingJob(int expectedRuns, IntConsumer body) {
			super("test-job", Duration.ofMillis(20));
			this.done = new CountDownLatch(expectedRuns);
			this.body = body;
		}

		@Override
		protected void runScheduled() {
			int run = this.runs.incrementAndGet();
			this.threads.add(Thread.currentThread());
			this.done.countDown();
			this.body.accept(run);
		}

	}

}
