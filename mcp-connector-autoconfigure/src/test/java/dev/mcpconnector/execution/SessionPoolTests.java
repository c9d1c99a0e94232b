package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
	void getWhenOwnerAtItsSessionCapThenItsOwnOldestIdleClosedNeverAnotherOwners() throws InterruptedException {
		SessionPool pool = pool(3, 2, 10);
		McpOwner bob = McpOwner.of("bob");
		McpSession bobs = pool.get(new McpSession.Key(bob, UUID.randomUUID()));
		Thread.sleep(2);
		McpSession first = pool.get(key());
		Thread.sleep(2);
		McpSession second = pool.get(key());
		McpSession third = pool.get(key());
		assertThat(bobs.isClosed()).as("another owner's session, the least recently used of all").isFalse();
		assertThat(first.isClosed()).isTrue();
		assertThat(second.isClosed()).isFalse();
		assertThat(third.isClosed()).isFalse();
		assertThat(pool.size()).isEqualTo(3);
	}

	@Test
	void getWhenOwnerAtItsSessionCapAndEveryOneBusyThenRefusedAndNothingClosed() {
		SessionPool pool = pool(10, 1, 10);
		McpSession.Key busy = key();
		McpSession only = pool.get(busy);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> pool.admit(busy, () -> pool.get(key())))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.OWNER_LIMIT_REACHED))
			.satisfies((ex) -> assertThat(ex.error().status().value()).isEqualTo(429));
		assertThat(only.isClosed()).isFalse();
		assertThat(pool.size()).isEqualTo(1);
	}

	@Test
	void getWhenPoolFullThenABusySessionIsNeverTheOneClosed() throws InterruptedException {
		SessionPool pool = pool(1, 1, 10);
		McpSession.Key busy = new McpSession.Key(McpOwner.of("bob"), UUID.randomUUID());
		McpSession bobs = pool.get(busy);
		Thread.sleep(2);
		pool.admit(busy, () -> pool.get(key()));
		assertThat(bobs.isClosed()).isFalse();
	}

	@Test
	void admitWhenOwnerHasItsMostCallsInFlightThenTheNextRefusedAndOtherOwnersUnaffected() {
		SessionPool pool = pool(10, 10, 2);
		McpSession.Key key = key();
		McpSession.Key bobs = new McpSession.Key(McpOwner.of("bob"), UUID.randomUUID());
		String result = pool.admit(key, () -> pool.admit(key, () -> {
			assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> pool.admit(key(), () -> "third"))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.OWNER_LIMIT_REACHED));
			return pool.admit(bobs, () -> "bob's");
		}));
		assertThat(result).isEqualTo("bob's");
		assertThat(pool.admit(key, () -> "after")).as("released once done").isEqualTo("after");
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

	private SessionPool pool(int maxSessions, int maxSessionsPerOwner, int maxCallsPerOwner) {
		return new SessionPool(maxSessions, maxSessionsPerOwner, maxCallsPerOwner, Duration.ofMinutes(10), (key) -> {
			McpSession session = new McpSession(key, null, new ExchangeRecorder(), "name",
					java.net.URI.create("https://host"), McpTransport.STREAMABLE_HTTP);
			this.opened.add(session);
			return session;
		});
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
