package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's bookkeeping, with sessions that never connect. */
@Tag("fast")
class SessionPoolTests {

	private final McpOwner owner = McpOwner.of("alice");

	private final List<McpSession> opened = new ArrayList<>();

	@Test
	void getWhenSameKeyThenOpenedOnce() {
		SessionPool pool = pool(10, Duration.ofMinutes(10));
		McpSession.Key key = key();
		assertThat(pool.get(key)).isSameAs(pool.get(key));
		assertThat(this.opened).hasSize(1);
		assertThat(pool.contains(key)).isTrue();
	}

	@Test
	void getWhenBeyondMaxSessionsThenLeastRecentlyUsedClosed() throws InterruptedException {
		SessionPool pool = pool(2, Duration.ofMinutes(10));
		McpSession first = pool.get(key());
		Thread.sleep(2);
		McpSession second = pool.get(key());
		Thread.sleep(2);
		first.touch();
		McpSession third = pool.get(key());
		assertThat(pool.size()).isEqualTo(2);
		assertThat(second.isClosed()).isTrue();
		assertThat(first.isClosed()).isFalse();
		assertThat(third.isClosed()).isFalse();
	}

	@Test
	void closeIdleWhenUnusedLongerThanTimeoutThenClosed() throws InterruptedException {
		SessionPool pool = pool(10, Duration.ofMillis(20));
		McpSession idle = pool.get(key());
		Thread.sleep(40);
		McpSession fresh = pool.get(key());
		pool.closeIdle();
		assertThat(idle.isClosed()).isTrue();
		assertThat(fresh.isClosed()).isFalse();
		assertThat(pool.size()).isEqualTo(1);
	}

	@Test
	void discardWhenNotThePooledSessionThenLeftAlone() {
		SessionPool pool = pool(10, Duration.ofMinutes(10));
		McpSession.Key key = key();
		McpSession first = pool.get(key);
		assertThat(pool.discard(first)).isTrue();
		McpSession second = pool.get(key);
		assertThat(pool.discard(first)).isFalse();
		assertThat(second.isClosed()).isFalse();
	}

	@Test
	void startThenStopWhenSessionsOpenThenSweeperRunsAndEverySessionCloses() {
		SessionPool pool = pool(10, Duration.ofMinutes(10));
		assertThat(pool.isRunning()).isFalse();
		pool.start();
		assertThat(pool.isRunning()).isTrue();
		McpSession one = pool.get(key());
		McpSession two = pool.get(key());
		pool.stop();
		assertThat(pool.isRunning()).isFalse();
		assertThat(one.isClosed()).isTrue();
		assertThat(two.isClosed()).isTrue();
		assertThat(pool.size()).isZero();
	}

	@Test
	void stopWhenNeverStartedThenStillClosesEverySession() {
		SessionPool pool = pool(10, Duration.ofMinutes(10));
		McpSession one = pool.get(key());
		pool.stop();
		assertThat(one.isClosed()).isTrue();
	}

	@Test
	void closedBeforeWhenClosedAfterAnOperationBeganThenNotBeforeIt() {
		McpSession session = new McpSession(key(), null, new ExchangeRecorder(), "name", java.net.URI.create("https://host"),
				McpTransport.STREAMABLE_HTTP);
		long began = System.nanoTime();
		assertThat(session.closedBefore(began)).isFalse();
		session.close();
		long after = System.nanoTime();
		session.close();
		assertThat(session.isClosed()).isTrue();
		assertThat(session.closedBefore(began - 1)).as("began before the close: may have reached the server")
			.isFalse();
		assertThat(session.closedBefore(after)).as("began after the first close: never sent").isTrue();
	}

	private McpSession.Key key() {
		return new McpSession.Key(this.owner, UUID.randomUUID());
	}

	private SessionPool pool(int maxSessions, Duration idleTimeout) {
		return new SessionPool(maxSessions, idleTimeout, (key) -> {
			McpSession session = new McpSession(key, null, new ExchangeRecorder(), "name", java.net.URI.create("https://host"),
					McpTransport.STREAMABLE_HTTP);
			this.opened.add(session);
			return session;
		});
	}

}
