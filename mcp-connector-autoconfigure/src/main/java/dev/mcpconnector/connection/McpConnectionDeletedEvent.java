package dev.mcpconnector.connection;

import java.util.UUID;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published by {@link McpConnectionService} after an owner's connection was deleted (revoked
 * or removed): whatever holds state for it, such as the executor's pooled sessions, lets go.
 */
public final class McpConnectionDeletedEvent extends ApplicationEvent {

	private final McpOwner owner;

	private final UUID connectionId;

	/**
	 * @param source the service that deleted it
	 * @param owner the owner
	 * @param connectionId the deleted connection
	 */
	public McpConnectionDeletedEvent(Object source, McpOwner owner, UUID connectionId) {
		super(source);
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		this.owner = owner;
		this.connectionId = connectionId;
	}

	public McpOwner owner() {
		return this.owner;
	}

	public UUID connectionId() {
		return this.connectionId;
	}

	@Override
	public String toString() {
		return "McpConnectionDeletedEvent[owner=" + this.owner + ", connectionId=" + this.connectionId + "]";
	}

}
