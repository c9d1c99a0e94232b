package dev.mcpconnector.connection;

import java.sql.SQLException;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The database that holds connections and tokens cannot be reached right now. Nothing was
 * changed; the operation may be retried.
 * <p>
 * {@link #isUnavailable(Throwable)} is the one place that decides whether a failure means
 * that, for every store of the starter (JPA, JDBC, the audit writer, the refresh lock).
 */
public class StorageUnavailableException extends McpConnectorException {

	private static final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

	private static final int MAX_CAUSES = 16;

	public StorageUnavailableException(String message, Throwable cause) {
		super(McpConnectorErrorCode.STORAGE_UNAVAILABLE, message, cause);
	}

	/**
	 * Whether a failure means the database cannot be reached right now (as opposed to a
	 * refused statement, a constraint or a concurrent update), judged by type through Spring's
	 * {@link DataAccessException} hierarchy: a {@link DataAccessResourceFailureException}
	 * (including a connection that could not be obtained), a
	 * {@link TransientDataAccessResourceException}, a {@link RecoverableDataAccessException}, or
	 * a {@link CannotCreateTransactionException}
	 * anywhere in the cause chain. A raw {@link SQLException} found there (from the driver,
	 * the pool, or Hibernate) is first translated by Spring's
	 * {@link SQLExceptionSubclassTranslator}, so the SQL-state classes stay Spring's business.
	 * Never looks at messages.
	 * @param ex the failure
	 * @return whether the database is unavailable
	 */
	public static boolean isUnavailable(Throwable ex) {
		int depth = 0;
		for (Throwable t = ex; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
			if (t instanceof StorageUnavailableException || isUnavailableType(t)) {
				return true;
			}
			if (t instanceof SQLException sql && isUnavailableType(translator.translate("", null, sql))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Pass a data-access failure on: as a {@link StorageUnavailableException} when it means the
	 * database cannot be reached, unchanged otherwise.
	 * @param ex the failure
	 * @param message what could not be done (no secrets)
	 * @return the exception to throw
	 */
	public static RuntimeException translate(RuntimeException ex, String message) {
		if (ex instanceof StorageUnavailableException) {
			return ex;
		}
		return isUnavailable(ex) ? new StorageUnavailableException(message, ex) : ex;
	}

	private static boolean isUnavailableType(Throwable t) {
		return t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
				|| t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException;
	}

}
