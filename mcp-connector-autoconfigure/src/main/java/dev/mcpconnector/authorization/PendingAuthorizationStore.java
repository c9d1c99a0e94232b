package dev.mcpconnector.authorization;

import java.time.Instant;
import java.util.Optional;

/** Storage of pending authorizations, each consumed at most once. */
public interface PendingAuthorizationStore {

	/**
	 * Record a pending authorization before the browser is redirected.
	 * @param pending the pending authorization
	 */
	void save(PendingAuthorization pending);

	/**
	 * Atomically remove and return the pending authorization with this state hash, so that a
	 * second callback with the same state finds nothing.
	 * @param stateHash hex SHA-256 of the state
	 * @return the pending authorization, or empty when unknown or already consumed
	 */
	Optional<PendingAuthorization> consume(String stateHash);

	/**
	 * Remove pending authorizations that expired before the given time.
	 * @param now the current time
	 * @return how many were removed
	 */
	int deleteExpired(Instant now);

	/**
	 * A store in memory, for tests and for single-instance applications without a database.
	 * @return a new, empty store
	 */
	static PendingAuthorizationStore inMemory() {
		return new InMemoryPendingAuthorizationStore();
	}

}
