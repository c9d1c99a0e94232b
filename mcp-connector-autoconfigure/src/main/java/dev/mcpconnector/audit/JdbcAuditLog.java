package dev.mcpconnector.audit;

import java.time.Duration;
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

import dev.mcpconnector.jpa.McpConnectorTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * {@link AuditLog} that writes to the {@code mcp_audit_event} table asynchronously, in batches:
 * this class is the bounded queue, its writer thread and its lifecycle; the JDBC statements are
 * {@link JdbcAuditWriter}'s.
 * <p>
 * {@link #record(AuditEvent)} never blocks and never touches the database: it puts the event on
 * a bounded in-memory queue. When the queue is full the event is dropped, counted
 * ({@link #droppedCount()}, the Micrometer counter {@code mcp.connector.audit.dropped}) and
 * warned about: at the first drop, then at most once a minute, and when the log stops, each
 * warning with the number dropped since the last one, so no drop goes unreported. A single background
 * thread takes up to {@code batchSize} events at a time, waiting at most {@code maxDelay} after
 * the first one for more, and inserts them with one JDBC batch in one transaction. A batch that
 * fails because the database is unreachable
 * ({@code StorageUnavailableException.isUnavailable}) is retried with backoff; a batch that fails for
 * another reason is retried row by row, and only the rows that still fail are lost (counted in
 * {@link #failedCount()}).
 * <p>
 * On a graceful shutdown ({@link #stop()}, then {@link #destroy()}) the queue is drained
 * completely before the method returns. It stops in a late lifecycle phase, after the web
 * server, so that events of requests that finish during a graceful shutdown are kept.
 */
class JdbcAuditLog implements AuditLog, SmartLifecycle, DisposableBean {

	/** Longest stored {@code detail}. */
	static final int MAX_DETAIL_LENGTH = 512;

	/** The lifecycle phase: after the web server's graceful shutdown and stop. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger logger = LoggerFactory.getLogger(JdbcAuditLog.class);

	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final JdbcAuditWriter writer;

	private final BlockingQueue<Object> queue;

	private final int batchSize;

	private final Duration maxDelay;

	private final Duration shutdownTimeout;

	/** Held while a batch is written, so a synchronous drain and the writer never overlap. */
	private final ReentrantLock writeLock = new ReentrantLock();

	private final Object lifecycleMonitor = new Object();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	/** How many drops the warnings so far reported. */
	private final AtomicLong reportedDrops = new AtomicLong();

	private volatile boolean running;

	private Thread writerThread;

	/**
	 * An audit log in the connection's default schema with a queue of 100,000 events, batches
	 * of 500, at most 200 ms of delay and 30 s to drain on shutdown.
	 * @param dataSource where {@code mcp_audit_event} lives
	 */
	JdbcAuditLog(DataSource dataSource) {
		this(dataSource, McpConnectorTables.inDefaultSchema(), 100_000, 500, Duration.ofMillis(200),
				Duration.ofSeconds(30));
	}

	/**
	 * An audit log.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @param tables the schema of mcp-connector's tables
	 * @param capacity how many events may wait in memory; more are dropped and counted
	 * @param batchSize most events written in one transaction
	 * @param maxDelay longest an event waits for more to share its batch
	 * @param shutdownTimeout longest {@link #stop()} waits for the writer to drain the queue
	 * before draining the rest itself
	 */
	JdbcAuditLog(DataSource dataSource, McpConnectorTables tables, int capacity, int batchSize,
			Duration maxDelay, Duration shutdownTimeout) {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(maxDelay != null && !maxDelay.isNegative(), "maxDelay cannot be null or negative");
		Assert.isTrue(shutdownTimeout != null && !shutdownTimeout.isNegative(),
				"shutdownTimeout cannot be null or negative");
		this.writer = new JdbcAuditWriter(dataSource, tables);
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
			this.dropped.incrementAndGet();
			long now = System.nanoTime();
			long last = this.lastDropWarning.get();
			if (now - last >= WARN_INTERVAL_NANOS && this.lastDropWarning.compareAndSet(last, now)) {
				warnOfDrops("the audit queue is full");
			}
		}
	}

	/** Warn of the drops no warning reported yet, if any. */
	private void warnOfDrops(String why) {
		long count = this.dropped.get();
		long since = count - this.reportedDrops.getAndSet(count);
		if (since > 0) {
			logger.warn("mcp-connector audit: {}; {} audit event(s) dropped since the last warning, {} in all", why,
					since, count);
		}
	}

	/**
	 * Write every event recorded before this call, and return when they are committed (or
	 * given up on). Blocks; meant for tests and for shutdown hooks, not for the warm path.
	 */
	void flush() {
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
	@Override
	public long droppedCount() {
		return this.dropped.get();
	}

	/**
	 * How many events could not be written (the database refused them, or stayed unreachable
	 * during shutdown).
	 * @return the count since start
	 */
	long failedCount() {
		return this.writer.failedCount();
	}

	/**
	 * How many events were written.
	 * @return the count since start
	 */
	long writtenCount() {
		return this.writer.writtenCount();
	}

	/**
	 * How many batches (transactions) were committed.
	 * @return the count since start
	 */
	long batchCount() {
		return this.writer.batchCount();
	}

	/**
	 * How many events wait in memory.
	 * @return the queue's size
	 */
	int queuedCount() {
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
			this.writerThread = thread;
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
				thread = this.writerThread;
				this.writerThread = null;
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
		warnOfDrops("stopped");
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
		this.writer.write(batch, () -> !this.running || Thread.currentThread() != currentWriterThread());
	}

	private Thread currentWriterThread() {
		synchronized (this.lifecycleMonitor) {
			return this.writerThread;
		}
	}

	/** Marks a point in the queue; completed once everything before it is written. */
	private static final class Barrier {

		final CompletableFuture<Void> done = new CompletableFuture<>();

	}

}
