package dev.mcpconnector.connection;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

/**
 * Storage of connections and their credentials. Every method takes the owner and only ever
 * touches that owner's rows: another owner's id behaves exactly like an id that does not exist.
 * The one exception is {@link #claimForCheck}, which serves the starter's scheduled connection
 * check and no user request. Implementations must store credentials encrypted, bound to their
 * row and owner.
 */
public interface McpConnectionRepository {

	/**
	 * Insert a new connection.
	 * @param connection the connection
	 * @return the stored connection
	 */
	McpConnection insert(McpConnection connection);

	/**
	 * Update a connection of its owner, checking its version.
	 * @param connection the changed connection, carrying the version it was read with
	 * @return the stored connection with its new version
	 * @throws McpConnectorException {@link #connectionNotFound() connection-not-found} if the
	 * owner has no such connection, {@link #concurrentlyModified(UUID)
	 * connection-concurrently-modified} if it changed since it was read
	 */
	McpConnection update(McpConnection connection);

	/**
	 * Every connection of an owner, oldest first.
	 * @param owner the owner
	 * @return the connections
	 */
	List<McpConnection> findAll(McpOwner owner);

	/**
	 * One connection of an owner.
	 * @param owner the owner
	 * @param id the connection id
	 * @return the connection, or empty if the owner has none with that id
	 */
	Optional<McpConnection> find(McpOwner owner, UUID id);

	/**
	 * Delete a connection of an owner, with its credentials and pending authorizations.
	 * @param owner the owner
	 * @param id the connection id
	 * @return whether a row was deleted
	 */
	boolean delete(McpOwner owner, UUID id);

	/**
	 * Store (replace) the credentials of an owner's connection.
	 * @param owner the owner
	 * @param id the connection id
	 * @param credentials the credentials
	 * @throws McpConnectorException {@link #connectionNotFound() connection-not-found} if the
	 * owner has no such connection
	 */
	void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials credentials);

	/**
	 * The credentials of an owner's connection.
	 * @param owner the owner
	 * @param id the connection id
	 * @return the decrypted credentials, or empty when none are stored or the owner has no such
	 * connection
	 * @throws McpConnectorException {@code secret-decryption-failed} if a stored secret was
	 * altered
	 */
	Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id);

	/**
	 * Remove the credentials of an owner's connection.
	 * @param owner the owner
	 * @param id the connection id
	 */
	void deleteCredentials(McpOwner owner, UUID id);

	/**
	 * Claim connections for the scheduled connection check, across owners: up to {@code limit}
	 * connections that are {@link ConnectionStatus#ACTIVE ACTIVE} or
	 * {@link ConnectionStatus#UNREACHABLE UNREACHABLE} and were never checked or last checked
	 * before {@code checkedBefore}, never-checked ones first, each marked checked at {@code now}.
	 * Instances sharing the storage must claim disjoint connections when they call this at
	 * once. Not for code acting on a user's behalf.
	 * @param checkedBefore connections checked at or after this are left alone
	 * @param now the time the claimed connections are marked checked
	 * @param limit most connections to claim
	 * @return the claimed connections
	 * @throws UnsupportedOperationException when the repository cannot claim (the default; the
	 * connection check refuses at start-up a repository that does not implement this)
	 */
	default List<McpConnection> claimForCheck(Instant checkedBefore, Instant now, int limit) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support connection checks");
	}

	/**
	 * The error for an id the owner has no connection with. It is the same whether the id does
	 * not exist or is another owner's, so that callers cannot tell them apart.
	 * @return a {@code connection-not-found} error
	 */
	static McpConnectorException connectionNotFound() {
		return new McpConnectorException(McpConnectorErrorCode.CONNECTION_NOT_FOUND, "No such connection");
	}

	/**
	 * The error for a connection that changed between being read and being written.
	 * @param connectionId the connection
	 * @return a {@code connection-concurrently-modified} error
	 */
	static McpConnectorException concurrentlyModified(UUID connectionId) {
		return new McpConnectorException(McpConnectorErrorCode.CONNECTION_CONCURRENTLY_MODIFIED,
				"Connection " + connectionId + " was changed concurrently");
	}

	/**
	 * A repository in memory, for tests, command-line tools and applications without a
	 * database: secrets stay in this process's memory only, and owner scoping is the same as
	 * the JPA repository's.
	 * @return a new, empty repository
	 */
	static McpConnectionRepository inMemory() {
		return new InMemoryMcpConnectionRepository();
	}

}
