package dev.mcpconnector.authorization;

import java.util.UUID;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;

import org.springframework.util.Assert;

/**
 * A grant that stopped working marks its connection {@link ConnectionStatus#REAUTHORIZATION_REQUIRED}
 * and is recorded as a refresh failure; the caller then sees an
 * {@link AuthorizationRequiredException} (or the more precise exception the provider named).
 * Any other failure (the authorization server is down, say) changes nothing and reaches the
 * caller as it is.
 */
final class ReauthorizationRequiredFailureHandler implements AuthorizationFailureHandler {

	private final McpConnectionService connections;

	private final AuthorizationAudit audit;

	ReauthorizationRequiredFailureHandler(McpConnectionService connections, AuthorizationAudit audit) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.connections = connections;
		this.audit = audit;
	}

	@Override
	public RuntimeException onAuthorizationFailure(McpOwner owner, UUID connectionId, RuntimeException failure) {
		if (!(failure instanceof UnusableGrantException unusable)) {
			return failure;
		}
		this.audit.record(owner, AuditEvent.Type.REFRESH_FAILURE, connectionId, "reauthorization-required",
				unusable.reason());
		this.connections.updateStatus(owner, connectionId, ConnectionStatus.REAUTHORIZATION_REQUIRED);
		return unusable.toThrow(connectionId);
	}

}
