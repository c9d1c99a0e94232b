package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The open sessions, one per owner and connection: opened on first use (one opener per key,
 * concurrent callers wait for it), bounded (the least recently used is closed beyond
 * {@code maxSessions}), idle ones closed by a sweeper that runs between {@link #start()} and
 * {@link #stop()}. {@link #stop()} closes every session.
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

	private final Duration idleTimeout;

	private final Function<McpSession.Key, McpSession> opener;

	private final ConcurrentMap<McpSession.Key, McpSession> sessions = new ConcurrentHashMap<>();

	private final ConcurrentMap<McpSession.Key, Object> opening = new ConcurrentHashMap<>();

	private final Object lifecycle = new Object();

	private ScheduledExecutorService sweeper;

	SessionPool(int maxSessions, Duration idleTimeout, Function<McpSession.Key, McpSession> opener) {
		Assert.isTrue(maxSessions > 0, "maxSessions must be positive");
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
				if (oldest == null || entry.getValue().lastUsed() < oldest.getValue().lastUsed()) {
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
