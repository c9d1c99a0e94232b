package dev.mcpconnector.connection;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * {@link McpConnectionRepository} in memory, for tests, command-line tools and applications
 * without a database. Secrets stay in this process's memory only. Owner scoping is the same as
 * the JPA implementation's.
 */
class InMemoryMcpConnectionRepository implements McpConnectionRepository {

	private final Map<UUID, McpConnection> connections = new ConcurrentHashMap<>();

	private final Map<UUID, ConnectionCredentials> credentials = new ConcurrentHashMap<>();

	private final Map<UUID, Instant> checkedAt = new ConcurrentHashMap<>();

	@Override
	public McpConnection insert(McpConnection connection) {
		Assert.notNull(connection, "connection cannot be null");
		if (this.connections.putIfAbsent(connection.id(), connection) != null) {
			throw new IllegalStateException("Duplicate connection id");
		}
		return connection;
	}

	@Override
	public synchronized McpConnection update(McpConnection connection) {
		McpConnection current = find(connection.owner(), connection.id())
			.orElseThrow(McpConnectionRepository::connectionNotFound);
		if (current.version() != connection.version()) {
			throw McpConnectionRepository.concurrentlyModified(connection.id());
		}
		McpConnection next = new McpConnection(connection.id(), connection.owner(), connection.name(),
				connection.serverUrl(), connection.resourceUri(), connection.status(), connection.issuer(),
				connection.grantedScopes(), connection.requestedScopes(), connection.requestTimeout(), connection.limits(),
				connection.transport(), connection.protocolVersion(), connection.remoteAccount(), connection.createdAt(),
				connection.updatedAt(), connection.version() + 1);
		this.connections.put(next.id(), next);
		return next;
	}

	@Override
	public List<McpConnection> findAll(McpOwner owner) {
		return this.connections.values()
			.stream()
			.filter((c) -> c.owner().equals(owner))
			.sorted(Comparator.comparing(McpConnection::createdAt).thenComparing(McpConnection::id))
			.toList();
	}

	@Override
	public Optional<McpConnection> find(McpOwner owner, UUID id) {
		return Optional.ofNullable(this.connections.get(id)).filter((c) -> c.owner().equals(owner));
	}

	@Override
	public synchronized boolean delete(McpOwner owner, UUID id) {
		if (find(owner, id).isEmpty()) {
			return false;
		}
		this.connections.remove(id);
		this.credentials.remove(id);
		this.checkedAt.remove(id);
		return true;
	}

	@Override
	public void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials value) {
		if (find(owner, id).isEmpty()) {
			throw McpConnectionRepository.connectionNotFound();
		}
		this.credentials.put(id, value);
	}

	@Override
	public Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id) {
		return find(owner, id).map((c) -> this.credentials.get(id));
	}

	@Override
	public void deleteCredentials(McpOwner owner, UUID id) {
		if (find(owner, id).isPresent()) {
			this.credentials.remove(id);
		}
	}

	@Override
	public synchronized List<McpConnection> claimForCheck(Instant checkedBefore, Instant now, int limit) {
		Assert.notNull(checkedBefore, "checkedBefore cannot be null");
		Assert.notNull(now, "now cannot be null");
		Assert.isTrue(limit > 0, "limit must be positive");
		Comparator<McpConnection> neverCheckedFirst = Comparator
			.comparing((McpConnection c) -> this.checkedAt.get(c.id()), Comparator.nullsFirst(Comparator.naturalOrder()));
		List<McpConnection> claimed = this.connections.values()
			.stream()
			.filter((c) -> c.status() == ConnectionStatus.ACTIVE || c.status() == ConnectionStatus.UNREACHABLE)
			.filter((c) -> {
				Instant last = this.checkedAt.get(c.id());
				return last == null || last.isBefore(checkedBefore);
			})
			.sorted(neverCheckedFirst)
			.limit(limit)
			.toList();
		claimed.forEach((c) -> this.checkedAt.put(c.id(), now));
		return claimed;
	}

}
