package dev.mcpconnector.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.jpa.McpConnectorTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.util.Assert;

/**
 * Inserts audit events into the audit table of {@link McpConnectorTables}: a batch in one
 * transaction, or row by row when the database refuses the batch. Failures leave as Spring
 * {@link DataAccessException}s, so that the caller can tell an unreachable database from a
 * refused row by type.
 */
class JdbcAuditWriter {

	private static final Logger logger = LoggerFactory.getLogger(JdbcAuditWriter.class);

	/** Attempts at a batch while the database is unreachable and the log is stopping. */
	private static final int STOPPING_ATTEMPTS = 3;

	/**
	 * Attempts at a batch that got a connection but failed as "unavailable" (out of disk or
	 * memory, a program limit, an operator intervention), before it is written row by row.
	 */
	static final int CONNECTED_ATTEMPTS = 5;

	private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final DataSource dataSource;

	private final String insert;

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong batches = new AtomicLong();

	JdbcAuditWriter(DataSource dataSource, McpConnectorTables tables) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		this.dataSource = dataSource;
		this.insert = "insert into " + tables.auditEvent() + " (occurred_at, tenant_id, owner_id, type,"
				+ " connection_id, tool, outcome, decision, latency_ms, detail, actor)"
				+ " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	}

	long failedCount() {
		return this.failed.get();
	}

	long writtenCount() {
		return this.written.get();
	}

	long batchCount() {
		return this.batches.get();
	}

	/**
	 * Write a batch. While no connection can be had the batch is retried with backoff, for ever
	 * while the log runs and {@value #STOPPING_ATTEMPTS} times once it is stopping. A batch that
	 * got a connection and failed as unavailable ({@link StorageUnavailableException#isUnavailable}:
	 * a full disk, a program limit) is retried {@value #CONNECTED_ATTEMPTS} times
	 * ({@value #STOPPING_ATTEMPTS} when stopping) and then written row by row, like a batch the
	 * database refuses for another reason, so that one batch can never stall the writer. Events
	 * that could not be written are counted as failed.
	 * @param batch the events
	 * @param stopping whether the log is stopping (or this is not its writer thread)
	 */
	void write(List<AuditEvent> batch, BooleanSupplier stopping) {
		if (batch.isEmpty()) {
			return;
		}
		long backoff = 200;
		int attempts = 0;
		int connectedFailures = 0;
		while (true) {
			attempts++;
			try {
				insertBatch(batch);
				this.written.addAndGet(batch.size());
				this.batches.incrementAndGet();
				return;
			}
			catch (RuntimeException ex) {
				boolean unreachable = ex instanceof CannotGetJdbcConnectionException;
				if (!unreachable) {
					connectedFailures++;
				}
				if (!unreachable && (!StorageUnavailableException.isUnavailable(ex)
						|| connectedFailures >= CONNECTED_ATTEMPTS
						|| (attempts >= STOPPING_ATTEMPTS && stopping.getAsBoolean()))) {
					logger.warn("mcp-connector audit batch of {} event(s) refused after {} attempt(s) ({});"
							+ " writing them one by one", batch.size(), attempts, ex.getClass().getName());
					int ok = insertOneByOne(batch);
					this.written.addAndGet(ok);
					this.failed.addAndGet(batch.size() - ok);
					return;
				}
				if (attempts >= STOPPING_ATTEMPTS && stopping.getAsBoolean()) {
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

	/**
	 * Insert every event in one transaction, or none.
	 * @param batch the events
	 * @throws CannotGetJdbcConnectionException when no connection could be had
	 * @throws DataAccessException when the batch could not be written
	 */
	void insertBatch(List<AuditEvent> batch) {
		Connection pooled;
		try {
			pooled = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Could not get a connection for the audit batch", ex);
		}
		try (Connection connection = pooled) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
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
		catch (SQLException ex) {
			DataAccessException translated = this.translator.translate("audit batch insert", null, ex);
			throw (translated != null) ? translated : new UncategorizedSQLException("audit batch insert", null, ex);
		}
	}

	/**
	 * Insert the events one at a time, each in its own transaction; a refused row is logged
	 * (its type and the exception's class, nothing of its content) and skipped.
	 * @param batch the events
	 * @return how many were written
	 */
	int insertOneByOne(List<AuditEvent> batch) {
		int ok = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
				for (AuditEvent event : batch) {
					try {
						bind(statement, event);
						statement.executeUpdate();
						ok++;
					}
					catch (SQLException | RuntimeException ex) {
						logger.error("mcp-connector audit: a {} event could not be written ({})", event.type(),
								ex.getClass().getName());
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.error("mcp-connector audit: {} audit event(s) lost ({})", batch.size() - ok,
					ex.getClass().getName());
		}
		return ok;
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
		statement.setString(10, clean(event.detail(), JdbcAuditLog.MAX_DETAIL_LENGTH));
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

}
