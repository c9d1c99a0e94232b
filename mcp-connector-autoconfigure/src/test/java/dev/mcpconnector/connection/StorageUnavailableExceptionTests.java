package dev.mcpconnector.connection;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as "the database is unavailable": Spring's data-access types (and SQL states as
 * Spring translates them), anywhere in the cause chain, never the message text.
 */
@Tag("fast")
class StorageUnavailableExceptionTests {

	@Test
	void isUnavailableWhenConnectionCouldNotBeOpenedThenTrue() {
		SQLException refused = new SQLException("whatever the driver says", "08001", new ConnectException());
		assertThat(StorageUnavailableException.isUnavailable(refused)).isTrue();
		assertThat(StorageUnavailableException.isUnavailable(new PersistenceException("wrapped", refused))).isTrue();
		assertThat(StorageUnavailableException.isUnavailable(new CannotGetJdbcConnectionException("pool", refused)))
			.isTrue();
		assertThat(StorageUnavailableException.isUnavailable(new CannotCreateTransactionException("begin"))).isTrue();
	}

	@Test
	void isUnavailableWhenPoolTimesOutOrServerShutsDownThenTrue() {
		assertThat(StorageUnavailableException.isUnavailable(new SQLTransientConnectionException("pool timeout")))
			.isTrue();
		assertThat(StorageUnavailableException
			.isUnavailable(new RuntimeException(new SQLException("terminating connection", "57P01")))).isTrue();
	}

	@Test
	void isUnavailableWhenStatementIsRefusedThenFalse() {
		assertThat(StorageUnavailableException.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(new SQLException("syntax error", "42601"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(new DuplicateKeyException("dup"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(new DataIntegrityViolationException("fk"))).isFalse();
		assertThat(StorageUnavailableException
			.isUnavailable(new ObjectOptimisticLockingFailureException(Object.class, "id"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(new IllegalStateException("boom"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(null)).isFalse();
	}

	@Test
	void isUnavailableNeverReadsTheMessage() {
		assertThat(StorageUnavailableException
			.isUnavailable(new SQLException("Connection refused: connection is closed", "23505"))).isFalse();
		assertThat(StorageUnavailableException.isUnavailable(new RuntimeException("Connection refused"))).isFalse();
	}

	@Test
	void translateWhenUnavailableThenTypedAndCauseKept() {
		RuntimeException down = new CannotGetJdbcConnectionException("pool", new SQLException("x", "08006"));
		RuntimeException translated = StorageUnavailableException.translate(down, "The store is unavailable");
		assertThat(translated).isInstanceOf(StorageUnavailableException.class)
			.hasMessage("The store is unavailable")
			.hasCause(down);
		assertThat(((StorageUnavailableException) translated).error())
			.isEqualTo(dev.mcpconnector.McpConnectorErrorCode.STORAGE_UNAVAILABLE);
		assertThat(StorageUnavailableException.translate(translated, "again")).isSameAs(translated);
	}

	@Test
	void translateWhenNotUnavailableThenUnchanged() {
		RuntimeException refused = new DuplicateKeyException("dup");
		assertThat(StorageUnavailableException.translate(refused, "The store is unavailable")).isSameAs(refused);
	}

}
