package dev.mcpconnector.audit;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * {@link AuditLog} that writes to the {@code mcp_audit_event} table asynchronously, in batches.
 * <p>
 * {@link #record(AuditEvent)} never blocks and never touches the database: it puts the event on
 * a bounded in-memory queue. When the queue is full the event is dropped, counted
 * ({@link #droppedCount()}) and a warning is logged at most once a minute. A single background
 * thread takes up to {@code batchSize} events at a time, waiting at most {@code maxDelay} after
 * the first one for more, and inserts them with one JDBC batch in one transaction. A batch that
 * fails because the database is unreachable is retried with backoff; a batch that fails for
 * another reason is retried row by row, and only the rows that still fail are lost (counted in
 * {@link #failedCount()}).
 * <p>
 * On a graceful shutdown ({@link #stop()}, then {@link #destroy()}) the queue is drained
 * completely before the method returns. It stops in a late lifecycle phase, after the web
 * server, so that events of requests that finish during a graceful shutdown are kept.
 */
public class JdbcAuditLog implements AuditLog, SmartLifecycle, DisposableBean {

	/** Longest stored {@code detail}. */
	public static final int MAX_DETAIL_LENGTH = 512;

	/** The lifecycle phase: after the web server's graceful shutdown and stop. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	static final String INSERT = "insert into mcp_audit_event (occurred_at, tenant_id, owner_id, type,"
			+ " connection_id, tool, outcome, decision, latency_ms, detail, actor)"
			+ " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final Logger logger = LoggerFactory.getLogger(JdbcAuditLog.class);

	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final int STOPPING_ATTEMPTS = 3;

	private final DataSource dataSource;

	private final BlockingQueue<Object> queue;

	private final int batchSize;

	private final Duration maxDelay;

	private final Duration shutdownTimeout;

	/** Held while a batch is written, so a synchronous drain and the writer never overlap. */
	private final ReentrantLock writeLock = new ReentrantLock();

	private final Object lifecycleMonitor = new Object();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong batches = new AtomicLong();

	private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private volatile boolean running;

	private Thread writer;

	/**
	 * An audit log with a queue of 100,000 events, batches of 500, at most 200 ms of delay and
	 * 30 s to drain on shutdown.
	 * @param dataSource where {@code mcp_audit_event} lives
	 */
	public JdbcAuditLog(DataSource dataSource) {
		this(dataSource, 100_000, 500, Duration.ofMillis(200), Duration.ofSeconds(30));
	}

	/**
	 * An audit log.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @param capacity how many events may wait in memory; more are dropped and counted
	 * @param batchSize most events written in one transaction
	 * @param maxDelay longest an event waits for more to share its batch
	 * @param shutdownTimeout longest {@link #stop()} waits for the writer to drain the queue
	 * before draining the rest itself
	 */
	public JdbcAuditLog(DataSource dataSource, int capacity, int batchSize, Duration maxDelay,
			Duration shutdownTimeout) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.isTrue(capacity > 0, "capacity must be positive");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(maxDelay != null && !maxDelay.isNegative(), "maxDelay cannot be null or negative");
		Assert.isTrue(shutdownTimeout != null && !shutdownTimeout.isNegative(),
				"shutdownTimeout cannot be null or negative");
		this.dataSource = dataSource;
		this.queue = new LinkedBlockingQueue<>(capacity);
		this.batchSize = batchSize;
		this.maxDelay = maxDelay;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void record(AuditEvent event) {
		if (event == null) {
			return;
		}
		if (!this.queue.offer(event)) {
			long count = this.dropped.incrementAndGet();
			long now = System.nanoTime();
			long last = this.lastDropWarning.get();
			if (now - last >= WARN_INTERVAL_NANOS && this.lastDropWarning.compareAndSet(last, now)) {
				logger.warn("mcp-connector audit queue is full: {} audit event(s) dropped so far", count);
			}
		}
	}

	/**
	 * Write every event recorded before this call, and return when they are committed (or
	 * given up on). Blocks; meant for tests and for shutdown hooks, not for the warm path.
	 */
	public void flush() {
		if (isRunning()) {
			Barrier barrier = new Barrier();
			try {
				if (this.queue.offer(barrier, this.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
					barrier.done.get(this.shutdownTimeout.toMillis() + this.maxDelay.toMillis(),
							TimeUnit.MILLISECONDS);
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
				// fall through and drain here
			}
		}
		drainNow();
	}

	/**
	 * How many events were dropped because the queue was full.
	 * @return the count since start
	 */
	public long droppedCount() {
		return this.dropped.get();
	}

	/**
	 * How many events could not be written (the database refused them, or stayed unreachable
	 * during shutdown).
	 * @return the count since start
	 */
	public long failedCount() {
		return this.failed.get();
	}

	/**
	 * How many events were written.
	 * @return the count since start
	 */
	public long writtenCount() {
		return this.written.get();
	}

	/**
	 * How many batches (transactions) were committed.
	 * @return the count since start
	 */
	public long batchCount() {
		return this.batches.get();
	}

	/**
	 * How many events wait in memory.
	 * @return the queue's size
	 */
	public int queuedCount() {
		return this.queue.size();
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			Thread thread = new Thread(this::writeLoop, "mcp-connector-audit-writer");
			thread.setDaemon(true);
			this.writer = thread;
			thread.start();
		}
	}

	/** Stop the writer after it has drained the queue; drain whatever is left here. */
	@Override
	public void stop() {
		Thread thread;
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				thread = null;
			}
			else {
				this.running = false;
				thread = this.writer;
				this.writer = null;
			}
		}
		if (thread != null) {
			this.queue.offer(new Barrier()); // wake the writer; ignored when full
			try {
				thread.join(Math.max(1, this.shutdownTimeout.toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		drainNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Drains events recorded after {@link #stop()} (or without a lifecycle at all). */
	@Override
	public void destroy() {
		stop();
		int left = this.queue.size();
		if (left > 0) {
			logger.warn("mcp-connector audit log closed with {} event(s) still queued", left);
		}
	}

	private void writeLoop() {
		List<AuditEvent> batch = new ArrayList<>(this.batchSize);
		List<Barrier> barriers = new ArrayList<>();
		List<Object> taken = new ArrayList<>(this.batchSize);
		long pollMillis = Math.max(50, this.maxDelay.toMillis());
		try {
			while (this.running || !this.queue.isEmpty()) {
				Object first = this.queue.poll(pollMillis, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				boolean flushNow = add(first, batch, barriers);
				long deadline = System.nanoTime() + this.maxDelay.toNanos();
				while (!flushNow && batch.size() < this.batchSize) {
					taken.clear();
					this.queue.drainTo(taken, this.batchSize - batch.size());
					for (Object item : taken) {
						flushNow |= add(item, batch, barriers);
					}
					if (flushNow || batch.size() >= this.batchSize || !this.running) {
						break;
					}
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						break;
					}
					Object next = this.queue.poll(remaining, TimeUnit.NANOSECONDS);
					if (next == null) {
						break;
					}
					flushNow = add(next, batch, barriers);
				}
				this.writeLock.lock();
				try {
					write(batch);
				}
				finally {
					this.writeLock.unlock();
				}
				batch.clear();
				barriers.forEach((barrier) -> barrier.done.complete(null));
				barriers.clear();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Throwable ex) {
			logger.error("mcp-connector audit writer failed; remaining events are written on shutdown", ex);
		}
		finally {
			barriers.forEach((barrier) -> barrier.done.complete(null));
			// Anything taken but not written: write it here rather than lose it.
			if (!batch.isEmpty()) {
				this.writeLock.lock();
				try {
					write(batch);
				}
				finally {
					this.writeLock.unlock();
				}
			}
		}
	}

	private static boolean add(Object item, List<AuditEvent> batch, List<Barrier> barriers) {
		if (item instanceof Barrier barrier) {
			barriers.add(barrier);
			return true;
		}
		batch.add((AuditEvent) item);
		return false;
	}

	/** Writes everything queued, on the caller's thread. */
	private void drainNow() {
		this.writeLock.lock();
		try {
			List<AuditEvent> batch = new ArrayList<>(this.batchSize);
			List<Object> taken = new ArrayList<>(this.batchSize);
			while (true) {
				taken.clear();
				this.queue.drainTo(taken, this.batchSize);
				if (taken.isEmpty()) {
					return;
				}
				for (Object item : taken) {
					if (item instanceof Barrier barrier) {
						barrier.done.complete(null);
					}
					else {
						batch.add((AuditEvent) item);
					}
				}
				write(batch);
				batch.clear();
			}
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/** Writes a batch: retried while the database is unreachable, row by row when it refuses it. */
	private void write(List<AuditEvent> batch) {
		if (batch.isEmpty()) {
			return;
		}
		long backoff = 200;
		int attempts = 0;
		while (true) {
			attempts++;
			try {
				insertBatch(batch);
				this.written.addAndGet(batch.size());
				this.batches.incrementAndGet();
				return;
			}
			catch (SQLException | RuntimeException ex) {
				if (!isUnreachable(ex)) {
					logger.warn("mcp-connector audit batch of {} event(s) refused ({}); writing them one by one",
							batch.size(), ex.getClass().getName());
					insertOneByOne(batch);
					return;
				}
				boolean stopping = !this.running || Thread.currentThread() != this.writerThread();
				if (stopping && attempts >= STOPPING_ATTEMPTS) {
					this.failed.addAndGet(batch.size());
					logger.error("mcp-connector audit: database unreachable; {} audit event(s) lost", batch.size());
					return;
				}
				if (attempts == 1 || attempts % 10 == 0) {
					logger.warn("mcp-connector audit: database unreachable ({}); retrying {} event(s)",
							ex.getClass().getName(), batch.size());
				}
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					this.failed.addAndGet(batch.size());
					logger.error("mcp-connector audit: interrupted; {} audit event(s) lost", batch.size());
					return;
				}
				backoff = Math.min(backoff * 2, 10_000);
			}
		}
	}

	private Thread writerThread() {
		synchronized (this.lifecycleMonitor) {
			return this.writer;
		}
	}

	private void insertBatch(List<AuditEvent> batch) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
				for (AuditEvent event : batch) {
					bind(statement, event);
					statement.addBatch();
				}
				statement.executeBatch();
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				try {
					connection.rollback();
				}
				catch (SQLException rollback) {
					ex.addSuppressed(rollback);
				}
				throw ex;
			}
			finally {
				try {
					connection.setAutoCommit(autoCommit);
				}
				catch (SQLException ignored) {
					// the pool resets or discards the connection
				}
			}
		}
	}

	private void insertOneByOne(List<AuditEvent> batch) {
		int ok = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
				for (AuditEvent event : batch) {
					try {
						bind(statement, event);
						statement.executeUpdate();
						ok++;
					}
					catch (SQLException | RuntimeException ex) {
						this.failed.incrementAndGet();
						logger.error("mcp-connector audit: a {} event could not be written ({})", event.type(),
								ex.getClass().getName());
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			this.failed.addAndGet(batch.size() - ok);
			logger.error("mcp-connector audit: {} audit event(s) lost ({})", batch.size() - ok,
					ex.getClass().getName());
		}
		this.written.addAndGet(ok);
	}

	static void bind(PreparedStatement statement, AuditEvent event) throws SQLException {
		statement.setObject(1, OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC));
		statement.setString(2, clean(event.owner().tenantId(), 255));
		statement.setString(3, clean(event.owner().principal(), 255));
		statement.setString(4, event.type().name());
		if (event.connectionId() != null) {
			statement.setObject(5, event.connectionId());
		}
		else {
			statement.setNull(5, Types.OTHER);
		}
		statement.setString(6, clean(event.tool(), 255));
		statement.setString(7, clean(event.outcome(), 40));
		statement.setString(8, clean(event.decision(), 40));
		if (event.latencyMillis() != null) {
			statement.setLong(9, event.latencyMillis());
		}
		else {
			statement.setNull(9, Types.BIGINT);
		}
		statement.setString(10, clean(event.detail(), MAX_DETAIL_LENGTH));
		statement.setString(11, clean(event.actor(), 255));
	}

	/**
	 * Fits a value to its column: at most {@code max} characters, never half a surrogate pair,
	 * no NUL (which PostgreSQL text refuses).
	 */
	static String clean(String value, int max) {
		if (value == null) {
			return null;
		}
		String result = value;
		if (result.length() > max) {
			int end = max;
			if (Character.isHighSurrogate(result.charAt(end - 1))) {
				end--;
			}
			result = result.substring(0, end);
		}
		if (result.indexOf('\u0000') >= 0) {
			result = result.replace('\u0000', '\uFFFD');
		}
		return result;
	}

	static boolean isUnreachable(Throwable ex) {
		int depth = 0;
		for (Throwable t = ex; t != null && depth < 16; t = t.getCause(), depth++) {
			if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
					|| t instanceof ConnectException
					|| t instanceof org.springframework.dao.DataAccessResourceFailureException) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

	/** Marks a point in the queue; completed once everything before it is written. */
	private static final class Barrier {

		final CompletableFuture<Void> done = new CompletableFuture<>();

	}

}
