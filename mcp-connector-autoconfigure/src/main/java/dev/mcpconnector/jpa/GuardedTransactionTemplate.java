package dev.mcpconnector.jpa;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import dev.mcpconnector.connection.StorageUnavailableException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction template that turns "the database is unreachable" into one typed
 * {@link StorageUnavailableException}, whatever layer noticed it (the pool, the driver,
 * Hibernate, the transaction manager). Other failures pass through unchanged.
 */
class GuardedTransactionTemplate extends TransactionTemplate {

	GuardedTransactionTemplate(PlatformTransactionManager transactionManager) {
		super(transactionManager);
	}

	@Override
	public <T> T execute(TransactionCallback<T> action) throws TransactionException {
		try {
			return super.execute(action);
		}
		catch (RuntimeException ex) {
			if (isUnreachable(ex)) {
				throw new StorageUnavailableException("The connection store is unavailable", ex);
			}
			throw ex;
		}
	}

	static boolean isUnreachable(Throwable ex) {
		int depth = 0;
		for (Throwable t = ex; t != null && depth < 16; t = t.getCause(), depth++) {
			if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
					|| t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
					|| t instanceof ConnectException
					|| t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

}
