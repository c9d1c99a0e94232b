package dev.mcpconnector.jpa;

import dev.mcpconnector.connection.StorageUnavailableException;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction template that turns "the database is unreachable" into one typed
 * {@link StorageUnavailableException}, whatever layer noticed it (the pool, the driver,
 * Hibernate, the transaction manager), as {@link StorageUnavailableException#isUnavailable}
 * decides. Other failures pass through unchanged.
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
			throw StorageUnavailableException.translate(ex, "The connection store is unavailable");
		}
	}

}
