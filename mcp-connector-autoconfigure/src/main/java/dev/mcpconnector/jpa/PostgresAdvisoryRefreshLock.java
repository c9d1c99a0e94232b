package dev.mcpconnector.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.connection.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * {@link RefreshLock} through a PostgreSQL transaction-level advisory lock keyed by the
 * connection id, held on its own database connection for the length of the refresh, so that
 * instances sharing the database refresh one at a time. Every database failure taking or
 * releasing the lock (no connection, a {@code lock_timeout}, a cancelled statement, a read-only
 * transaction) fails the refresh with {@link StorageUnavailableException}: the refresh did not
 * run and may be retried. A failure of the action itself passes unchanged.
 * <p>
 * The lock's connection is held across the token request while the refresh reads and stores
 * the credentials through the application's pool. Taken from that same pool, refreshes of as
 * many connections as the pool is large would each hold one of its connections and wait for a
 * second, and stall every part of the application that needs the database. So the
 * auto-configuration gives the lock a small pool of its own ({@link #withOwnPool}), a copy of
 * the application's Hikari settings.
 */
class PostgresAdvisoryRefreshLock implements RefreshLock, AutoCloseable {

	/** Namespaces the advisory lock keys of mcp-connector. */
	private static final int LOCK_CLASS = 0x4d435052; // "MCPR"

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			PostgresAdvisoryRefreshLock.class.getClassLoader());

	private static final Logger logger = LoggerFactory.getLogger(PostgresAdvisoryRefreshLock.class);

	private static final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private final DataSource dataSource;

	private final AutoCloseable ownPool;

	/**
	 * A lock that takes its connections from the given data source.
	 * @param dataSource the data source, one connection per refresh in progress
	 */
	public PostgresAdvisoryRefreshLock(DataSource dataSource) {
		this(dataSource, null);
	}

	private PostgresAdvisoryRefreshLock(DataSource dataSource, AutoCloseable ownPool) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		this.dataSource = dataSource;
		this.ownPool = ownPool;
	}

	/**
	 * A lock on a pool of its own of at most {@code size} connections, with the settings of the
	 * application's Hikari pool (URL, credentials, timeouts, init SQL), opened on first use and
	 * closed with the lock. At most {@code size} refreshes of different connections run at once
	 * in this instance; more wait for one of its connections (the copied connection timeout).
	 * Without Hikari the lock uses the application's data source as it is.
	 * @param application the application's data source
	 * @param size the most lock connections
	 * @return the lock
	 */
	static PostgresAdvisoryRefreshLock withOwnPool(DataSource application, int size) {
		Assert.isTrue(size > 0, "size must be positive");
		PostgresAdvisoryRefreshLock own = HIKARI_PRESENT ? HikariCopy.lockOf(application, size) : null;
		if (own != null) {
			return own;
		}
		logger.info("The data source is not a Hikari pool: refresh locks take their connections from it");
		return new PostgresAdvisoryRefreshLock(application);
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

	/** Close the lock's own pool, if it has one. */
	@Override
	public void close() throws Exception {
		if (this.ownPool != null) {
			this.ownPool.close();
		}
	}

	/** Apart, so that the lock's class loads and verifies without Hikari. */
	private static final class HikariCopy {

		static PostgresAdvisoryRefreshLock lockOf(DataSource application, int size) {
			HikariDataSource hikari;
			try {
				if (!application.isWrapperFor(HikariDataSource.class)) {
					return null;
				}
				hikari = application.unwrap(HikariDataSource.class);
			}
			catch (SQLException ex) {
				return null;
			}
			// The no-argument constructor starts the pool on first use: no I/O at context start.
			HikariDataSource own = new HikariDataSource();
			hikari.copyStateTo(own);
			own.setPoolName(((hikari.getPoolName() != null) ? hikari.getPoolName() : "HikariPool") + "-refresh-lock");
			own.setMaximumPoolSize(size);
			own.setMinimumIdle(0);
			// Needed only while a refresh runs: idle connections go after 30 s, not the app's 10 min.
			own.setIdleTimeout(Math.min(hikari.getIdleTimeout(), 30_000));
			return new PostgresAdvisoryRefreshLock(own, own);
		}

	}

}
