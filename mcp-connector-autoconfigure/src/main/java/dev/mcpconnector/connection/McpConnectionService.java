package dev.mcpconnector.connection;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.util.Assert;

/**
 * Creates, lists, reads and deletes an owner's connections. The owner is always explicit: the
 * web layer resolves it from the request's principal, background code passes it in. A delete
 * publishes a {@link McpConnectionDeletedEvent}.
 */
public class McpConnectionService implements ApplicationEventPublisherAware {

	/** Longest display name accepted. */
	public static final int MAX_NAME_LENGTH = 255;

	private final McpConnectionRepository repository;

	private final Clock clock;

	private ApplicationEventPublisher events = (event) -> {
	};

	private volatile int maxConnectionsPerOwner = Integer.MAX_VALUE;

	public McpConnectionService(McpConnectionRepository repository, Clock clock) {
		Assert.notNull(repository, "repository cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher events) {
		Assert.notNull(events, "events cannot be null");
		this.events = events;
	}

	/**
	 * Cap the connections of one owner; a create beyond it is refused with
	 * {@code connection-limit-reached} (409). Concurrent creates of one owner may each see the
	 * count below the cap, so the cap holds within the number of such concurrent requests.
	 * @param maxConnectionsPerOwner the cap, positive
	 */
	public void setMaxConnectionsPerOwner(int maxConnectionsPerOwner) {
		Assert.isTrue(maxConnectionsPerOwner > 0, "maxConnectionsPerOwner must be positive");
		this.maxConnectionsPerOwner = maxConnectionsPerOwner;
	}

	/**
	 * Create a connection in the given status.
	 * @param owner the owner
	 * @param request what the user asked for
	 * @param status the initial status
	 * @return the stored connection
	 * @throws McpConnectorException {@code invalid-connection-request} when the URL or name is malformed
	 */
	public McpConnection create(McpOwner owner, NewConnection request, ConnectionStatus status) {
		return create(owner, request, status, McpTransport.STREAMABLE_HTTP);
	}

	/**
	 * Create a connection in the given status that speaks the given transport.
	 * @param owner the owner
	 * @param request what the user asked for
	 * @param status the initial status
	 * @param transport the transport the server speaks
	 * @return the stored connection
	 * @throws McpConnectorException {@code invalid-connection-request} when the URL or name is malformed
	 */
	public McpConnection create(McpOwner owner, NewConnection request, ConnectionStatus status,
			McpTransport transport) {
		return create(owner, request, status, transport, null);
	}

	/**
	 * Create a connection in the given status whose server speaks the given transport and MCP
	 * revision.
	 * @param owner the owner
	 * @param request what the user asked for
	 * @param status the initial status
	 * @param transport the transport the server speaks
	 * @param protocolVersion the MCP revision the server speaks, or {@code null} when not known yet
	 * @return the stored connection
	 * @throws McpConnectorException {@code invalid-connection-request} when the URL or name is malformed
	 */
	public McpConnection create(McpOwner owner, NewConnection request, ConnectionStatus status,
			McpTransport transport, String protocolVersion) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(status, "status cannot be null");
		URI serverUrl = CanonicalResourceUri.parseServerUrl(request.serverUrl());
		String name = (request.name() != null && !request.name().isBlank()) ? request.name().strip()
				: serverUrl.getHost();
		if (name.length() > MAX_NAME_LENGTH) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "name is longer than " + MAX_NAME_LENGTH + " characters");
		}
		if (name.chars().anyMatch(Character::isISOControl)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "name contains control characters");
		}
		java.time.Duration timeout = request.requestTimeout();
		if (timeout != null && (timeout.compareTo(java.time.Duration.ofSeconds(1)) < 0
				|| timeout.compareTo(java.time.Duration.ofMinutes(10)) > 0)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "requestTimeout must be between 1 second and 10 minutes");
		}
		if (this.repository.findAll(owner).size() >= this.maxConnectionsPerOwner) {
			throw new McpConnectorException(McpConnectorErrorCode.CONNECTION_LIMIT_REACHED,
					"The user already has " + this.maxConnectionsPerOwner + " connections, the most allowed");
		}
		Instant now = now();
		McpConnection connection = new McpConnection(UUID.randomUUID(), owner, name, serverUrl,
				CanonicalResourceUri.of(serverUrl), status, null, Set.of(), request.scopes(), timeout, request.limits(), transport,
				protocolVersion, null, now, now, 0);
		return this.repository.insert(connection);
	}

	/** Timestamps at the database's precision, so a stored value reads back equal. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * Every connection of an owner, oldest first.
	 * @param owner the owner
	 * @return the connections
	 */
	public List<McpConnection> list(McpOwner owner) {
		Assert.notNull(owner, "owner cannot be null");
		return this.repository.findAll(owner);
	}

	/**
	 * One connection of an owner.
	 * @param owner the owner
	 * @param id the id
	 * @return the connection
	 * @throws McpConnectorException {@code connection-not-found} when the owner has no such connection
	 */
	public McpConnection get(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		return this.repository.find(owner, id).orElseThrow(McpConnectionRepository::connectionNotFound);
	}

	/**
	 * Change the status of an owner's connection.
	 * @param owner the owner
	 * @param id the id
	 * @param status the new status
	 * @return the stored connection
	 */
	public McpConnection updateStatus(McpOwner owner, UUID id, ConnectionStatus status) {
		McpConnection current = get(owner, id);
		if (current.status() == status) {
			return current;
		}
		return this.repository.update(current.withStatus(status, now()));
	}

	/**
	 * Remember the transport an owner's connection speaks.
	 * @param owner the owner
	 * @param id the id
	 * @param transport the transport
	 * @return the stored connection
	 */
	public McpConnection updateTransport(McpOwner owner, UUID id, McpTransport transport) {
		McpConnection current = get(owner, id);
		if (current.transport() == transport) {
			return current;
		}
		return this.repository.update(current.withTransport(transport, now()));
	}

	/**
	 * Remember the MCP revision an owner's connection speaks: what the connect-time probe found,
	 * or what a session's {@code initialize} negotiated. {@code null} forgets it, so that the
	 * next session finds it again (a server that changed revisions).
	 * @param owner the owner
	 * @param id the id
	 * @param protocolVersion the revision, such as {@code 2026-07-28} or {@code 2025-11-25}, or
	 * {@code null}
	 * @return the stored connection
	 * @throws McpConnectorException {@code connection-not-found} when the owner has no such connection
	 */
	public McpConnection updateProtocolVersion(McpOwner owner, UUID id, String protocolVersion) {
		McpConnection current = get(owner, id);
		if (java.util.Objects.equals(current.protocolVersion(), protocolVersion)) {
			return current;
		}
		return this.repository.update(current.withProtocolVersion(protocolVersion, now()));
	}

	/**
	 * Store a changed connection of its owner (for example its authorization target, granted
	 * scopes or remote account), checking the version it was read with.
	 * @param connection the changed connection
	 * @return the stored connection
	 * @throws McpConnectorException {@code connection-not-found} when the owner has no such connection
	 * @throws McpConnectorException {@code connection-concurrently-modified} when it changed since it
	 * was read
	 */
	public McpConnection update(McpConnection connection) {
		Assert.notNull(connection, "connection cannot be null");
		return this.repository.update(connection);
	}

	/**
	 * The credentials of an owner's connection.
	 * @param owner the owner
	 * @param id the id
	 * @return the credentials, or empty when none are stored or the owner has no such connection
	 */
	public java.util.Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		return this.repository.findCredentials(owner, id);
	}

	/**
	 * Store (replace) the credentials of an owner's connection.
	 * @param owner the owner
	 * @param id the id
	 * @param credentials the credentials
	 * @throws McpConnectorException {@code connection-not-found} when the owner has no such connection
	 */
	public void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials credentials) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		Assert.notNull(credentials, "credentials cannot be null");
		this.repository.saveCredentials(owner, id, credentials);
	}

	/**
	 * Remove the credentials of an owner's connection, keeping the connection.
	 * @param owner the owner
	 * @param id the id
	 */
	public void deleteCredentials(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		this.repository.deleteCredentials(owner, id);
	}

	/**
	 * Delete an owner's connection with its credentials.
	 * @param owner the owner
	 * @param id the id
	 * @throws McpConnectorException {@code connection-not-found} when the owner has no such connection
	 */
	public void delete(McpOwner owner, UUID id) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(id, "id cannot be null");
		if (!this.repository.delete(owner, id)) {
			throw McpConnectionRepository.connectionNotFound();
		}
		this.events.publishEvent(new McpConnectionDeletedEvent(this, owner, id));
	}

}
