package dev.mcpconnector.audit;

import javax.sql.DataSource;

/**
 * Test access to the JDBC audit log, whose type is internal to this package: tests elsewhere
 * build one, or get the auto-configured one ({@code mcpConnectorAuditLog}), and wait for it.
 */
public final class TestAuditLogs {

	private TestAuditLogs() {
	}

	/**
	 * A JDBC audit log with the defaults, in the connection's default schema.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @return the log
	 */
	public static AuditLog jdbc(DataSource dataSource) {
		return new JdbcAuditLog(dataSource);
	}

	/**
	 * Write every event recorded so far and return when they are committed.
	 * @param log a JDBC audit log
	 */
	public static void flush(AuditLog log) {
		jdbcLog(log).flush();
	}

	/**
	 * How many events could not be written.
	 * @param log a JDBC audit log
	 * @return the count
	 */
	public static long failedCount(AuditLog log) {
		return jdbcLog(log).failedCount();
	}

	private static JdbcAuditLog jdbcLog(AuditLog log) {
		if (!(log instanceof JdbcAuditLog jdbc)) {
			throw new IllegalArgumentException("Not the JDBC audit log: " + log);
		}
		return jdbc;
	}

}
