package dev.mcpconnector.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.connection.StorageUnavailableException;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.util.Assert;

/**
 * {@link RefreshLock} through a PostgreSQL transaction-level advisory lock keyed by the
 * connection id, held on its own database connection for the length of the refresh, so that
 * instances sharing the database refresh one at a time. Every database failure taking or
 * releasing the lock (no connection, a {@code lock_timeout}, a cancelled statement, a read-only
 * transaction) fails the refresh with {@link StorageUnavailableException}: the refresh did not
 * run and may be retried. A failure of the action itself passes unchanged.
 */
class PostgresAdvisoryRefreshLock implements RefreshLock {

	/** Namespaces the advisory lock keys of mcp-connector. */
	private static final int LOCK_CLASS = 0x4d435052; // "MCPR"

	private static final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final DataSource dataSource;

	public PostgresAdvisoryRefreshLock(DataSource dataSource) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		this.dataSource = dataSource;
	}

	@Override
	public <T> T withLock(UUID connectionId, Supplier<T> action) {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
					lock.setInt(1, LOCK_CLASS);
					lock.setInt(2, (int) (connectionId.getMostSignificantBits() ^ connectionId.getLeastSignificantBits()));
					lock.execute();
				}
				return action.get();
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			DataAccessException translated = translator.translate("refresh lock", null, ex);
			throw new StorageUnavailableException("Could not take the refresh lock",
					(translated != null) ? translated : new UncategorizedSQLException("refresh lock", null, ex));
		}
	}

}
