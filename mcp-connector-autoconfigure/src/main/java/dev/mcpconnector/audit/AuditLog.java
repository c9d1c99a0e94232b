package dev.mcpconnector.audit;

import java.time.Duration;

import javax.sql.DataSource;

import dev.mcpconnector.jpa.McpConnectorTables;

/**
 * Where audit events go. Implementations must not block the caller on I/O: the executor's warm
 * path records a tool-call event on every call.
 */
@FunctionalInterface
public interface AuditLog {

	/**
	 * Record an event (asynchronously, in implementations that write somewhere).
	 * @param event the event
	 */
	void record(AuditEvent event);

	/**
	 * How many recorded events this log dropped without storing them, since it started: a log
	 * that buffers events (as {@link #jdbc} does, on a bounded queue) drops what does not fit.
	 * Published as the counter {@code mcp.connector.audit.dropped} when Micrometer is in use.
	 * @return the count; 0 for a log that never drops
	 */
	default long droppedCount() {
		return 0;
	}

	/**
	 * The audit log the auto-configuration defines: writes to the {@code mcp_audit_event} table
	 * asynchronously, in batches. Recording never blocks and never touches the database: events
	 * wait on a bounded queue (when it is full they are dropped, counted in
	 * {@link #droppedCount()} and warned about: at the first drop, then at most once a minute
	 * and on stop with the number dropped since) and one background thread inserts them, one JDBC batch per
	 * transaction. The returned log is a {@link org.springframework.context.SmartLifecycle}
	 * that drains its queue when it stops, after the web server, so define it as a bean.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @param tables the schema of mcp-connector's tables
	 * @param capacity how many events may wait in memory; more are dropped and counted
	 * @param batchSize most events written in one transaction
	 * @param maxDelay longest an event waits for more to share its batch
	 * @param shutdownTimeout longest stopping waits for the writer to drain the queue before
	 * draining the rest itself
	 * @return the audit log
	 */
	static AuditLog jdbc(DataSource dataSource, McpConnectorTables tables, int capacity, int batchSize,
			Duration maxDelay, Duration shutdownTimeout) {
		return new JdbcAuditLog(dataSource, tables, capacity, batchSize, maxDelay, shutdownTimeout);
	}

	/** An audit log that drops everything. */
	static AuditLog none() {
		return (event) -> {
		};
	}

}
