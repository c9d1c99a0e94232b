package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The open sessions, one per owner and connection: opened on first use (one opener per key,
 * concurrent callers wait for it), bounded (the least recently used idle one is closed beyond
 * {@code maxSessions}), idle ones closed by a sweeper that runs between {@link #start()} and
 * {@link #stop()}. {@link #stop()} closes every session.
 *
 * <p>Each owner has caps of its own, so that one user cannot take the pool from the others:
 * at most {@code maxSessionsPerOwner} sessions (beyond it the owner's own least recently used
 * idle session is closed; when every one is busy the new one is refused) and at most
 * {@code maxCallsPerOwner} operations in flight ({@link #admit}). Refusals are
 * {@code owner-limit-reached} (429); no other owner's session is ever closed for them. The
 * counts are taken without a lock across keys, so concurrent openers of one owner may pass the
 * session cap by at most their number (itself bounded by the calls cap).
 */
final class SessionPool implements SmartLifecycle {

	/**
	 * The lifecycle phase of the executor that owns the pool: after the web server (graceful
	 * shutdown at {@code DEFAULT_PHASE - 1024}, stop at {@code - 2048}), so requests still being
	 * served keep their sessions, and before the audit log ({@code - 4096}), so the calls they
	 * make are still recorded.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private static final Logger logger = LoggerFactory.getLogger(SessionPool.class);

	private final int maxSessions;

	private final int maxSessionsPerOwner;

	private final int maxCallsPerOwner;

	private final Duration idleTimeout;

	private final Function<McpSession.Key, McpSession> opener;

	private final ConcurrentMap<McpSession.Key, McpSession> sessions = new ConcurrentHashMap<>();

	private final ConcurrentMap<McpSession.Key, Object> opening = new ConcurrentHashMap<>();

	/** Operations in flight per key (a busy session is never closed to make room). */
	private final ConcurrentMap<McpSession.Key, AtomicInteger> busy = new ConcurrentHashMap<>();

	/** Operations in flight per owner. */
	private final ConcurrentMap<McpOwner, AtomicInteger> calls = new ConcurrentHashMap<>();

	private final Object lifecycle = new Object();

	private ScheduledExecutorService sweeper;

	SessionPool(int maxSessions, Duration idleTimeout, Function<McpSession.Key, McpSession> opener) {
		this(maxSessions, maxSessions, Integer.MAX_VALUE, idleTimeout, opener);
	}

	SessionPool(McpClientSettings settings, Function<McpSession.Key, McpSession> opener) {
		this(settings.maxSessions(), settings.maxSessionsPerOwner(), settings.maxConcurrentCallsPerOwner(),
				settings.idleTimeout(), opener);
	}

	SessionPool(int maxSessions, int maxSessionsPerOwner, int maxCallsPerOwner, Duration idleTimeout,
			Function<McpSession.Key, McpSession> opener) {
		Assert.isTrue(maxSessions > 0, "maxSessions must be positive");
		Assert.isTrue(maxSessionsPerOwner > 0, "maxSessionsPerOwner must be positive");
		Assert.isTrue(maxCallsPerOwner > 0, "maxCallsPerOwner must be positive");
		this.maxSessionsPerOwner = maxSessionsPerOwner;
		this.maxCallsPerOwner = maxCallsPerOwner;
		Assert.notNull(idleTimeout, "idleTimeout cannot be null");
		Assert.notNull(opener, "opener cannot be null");
		this.maxSessions = maxSessions;
		this.idleTimeout = idleTimeout;
		this.opener = opener;
	}

	/**
	 * The session of a key, opened when there is none.
	 * @param key the owner and connection
	 * @return the session
	 */
	McpSession get(McpSession.Key key) {
		McpSession existing = this.sessions.get(key);
		if (existing != null) {
			return existing;
		}
		// One caller opens the session of a key; concurrent callers wait for it instead of each
		// reading the database and building a client of their own.
		Object lock = this.opening.computeIfAbsent(key, (k) -> new Object());
		try {
			synchronized (lock) {
				McpSession again = this.sessions.get(key);
				if (again != null) {
					return again;
				}
				makeRoomFor(key);
				McpSession created = this.opener.apply(key);
				this.sessions.put(key, created);
				evictBeyondLimit();
				return created;
			}
		}
		finally {
			this.opening.remove(key, lock);
		}
	}

	/**
	 * Run one operation of an owner on a key, counted against the owner's calls cap; the key's
	 * session counts as busy meanwhile.
	 * @param key the owner and connection
	 * @param operation the operation
	 * @param <T> its result
	 * @return the result
	 * @throws McpConnectorException {@code owner-limit-reached} when the owner has as many
	 * operations in flight as allowed
	 */
	<T> T admit(McpSession.Key key, Supplier<T> operation) {
		if (acquire(this.calls, key.owner()) > this.maxCallsPerOwner) {
			release(this.calls, key.owner());
			throw new McpConnectorException(McpConnectorErrorCode.OWNER_LIMIT_REACHED,
					"The user already has " + this.maxCallsPerOwner + " calls in flight, the most allowed");
		}
		acquire(this.busy, key);
		try {
			return operation.get();
		}
		finally {
			release(this.busy, key);
			release(this.calls, key.owner());
		}
	}

	private static <K> int acquire(ConcurrentMap<K, AtomicInteger> counts, K key) {
		return counts.compute(key, (k, count) -> {
			AtomicInteger c = (count != null) ? count : new AtomicInteger();
			c.incrementAndGet();
			return c;
		}).get();
	}

	private static <K> void release(ConcurrentMap<K, AtomicInteger> counts, K key) {
		counts.computeIfPresent(key, (k, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

	private boolean isBusy(McpSession.Key key) {
		return this.busy.containsKey(key);
	}

	/** Before a new session of an owner: close the owner's own idle ones beyond its cap, or refuse. */
	private void makeRoomFor(McpSession.Key key) {
		while (true) {
			int owned = 0;
			Map.Entry<McpSession.Key, McpSession> oldestIdle = null;
			for (Map.Entry<McpSession.Key, McpSession> entry : this.sessions.entrySet()) {
				if (!entry.getKey().owner().equals(key.owner())) {
					continue;
				}
				owned++;
				if (!entry.getKey().equals(key) && !isBusy(entry.getKey()) && (oldestIdle == null
						|| entry.getValue().lastUsed() < oldestIdle.getValue().lastUsed())) {
					oldestIdle = entry;
				}
			}
			if (owned < this.maxSessionsPerOwner) {
				return;
			}
			if (oldestIdle == null) {
				throw new McpConnectorException(McpConnectorErrorCode.OWNER_LIMIT_REACHED, "The user already has "
						+ this.maxSessionsPerOwner + " live sessions, all in use, the most allowed");
			}
			if (this.sessions.remove(oldestIdle.getKey(), oldestIdle.getValue())) {
				oldestIdle.getValue().close();
			}
		}
	}

	Optional<McpSession> find(McpSession.Key key) {
		return Optional.ofNullable(this.sessions.get(key));
	}

	boolean contains(McpSession.Key key) {
		return this.sessions.containsKey(key);
	}

	int size() {
		return this.sessions.size();
	}

	/**
	 * Close a session if it is still the pooled one of its key.
	 * @param session the session
	 * @return whether it was pooled and is now closed
	 */
	boolean discard(McpSession session) {
		if (this.sessions.remove(session.key(), session)) {
			session.close();
			return true;
		}
		return false;
	}

	/**
	 * Close and forget the session of a key, if any.
	 * @param key the owner and connection
	 */
	void close(McpSession.Key key) {
		McpSession session = this.sessions.remove(key);
		if (session != null) {
			session.close();
		}
	}

	void closeIdle() {
		long cutoff = System.nanoTime() - this.idleTimeout.toNanos();
		this.sessions.forEach((key, session) -> {
			if (session.lastUsed() < cutoff && this.sessions.remove(key, session)) {
				logger.debug("Closing idle session of connection {}", key.connectionId());
				session.close();
			}
		});
	}

	private void evictBeyondLimit() {
		while (this.sessions.size() > this.maxSessions) {
			Map.Entry<McpSession.Key, McpSession> oldest = null;
			for (Map.Entry<McpSession.Key, McpSession> entry : this.sessions.entrySet()) {
				// A session with an operation in flight is never closed to make room.
				if (!isBusy(entry.getKey())
						&& (oldest == null || entry.getValue().lastUsed() < oldest.getValue().lastUsed())) {
					oldest = entry;
				}
			}
			if (oldest == null) {
				return;
			}
			if (this.sessions.remove(oldest.getKey(), oldest.getValue())) {
				oldest.getValue().close();
			}
		}
	}

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.sweeper != null) {
				return;
			}
			this.sweeper = Executors.newSingleThreadScheduledExecutor(Threads.daemon("mcp-session-sweeper-"));
			long period = Math.max(1000, Math.min(60_000, this.idleTimeout.toMillis() / 2));
			this.sweeper.scheduleAtFixedRate(this::closeIdleQuietly, period, period, TimeUnit.MILLISECONDS);
		}
	}

	private void closeIdleQuietly() {
		try {
			closeIdle();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing idle MCP sessions failed: {}", ex.getClass().getSimpleName());
		}
	}

	/** Stop the sweeper and close every session. */
	@Override
	public void stop() {
		synchronized (this.lifecycle) {
			if (this.sweeper != null) {
				this.sweeper.shutdownNow();
				this.sweeper = null;
			}
		}
		this.sessions.values().forEach(McpSession::close);
		this.sessions.clear();
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lifecycle) {
			return this.sweeper != null;
		}
	}

}
