package dev.mcpconnector.authorization;

import java.net.URI;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;

import org.springframework.util.Assert;

/**
 * Links a server by its URL: probes it; a server that needs no authorization is active at
 * once, any other is stored with its authorization started. Nothing stays stored when the
 * server cannot be reached or its metadata is refused.
 */
final class ServerConnector {

	private final McpConnectionService connections;

	private final McpServerProbe probe;

	private final AuthorizationStarter starter;

	private final AuthorizationAudit audit;

	ServerConnector(McpConnectionService connections, McpServerProbe probe, AuthorizationStarter starter,
			AuthorizationAudit audit) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(probe, "probe cannot be null");
		Assert.notNull(starter, "starter cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.connections = connections;
		this.probe = probe;
		this.starter = starter;
		this.audit = audit;
	}

	McpAuthorizationService.AuthorizationStart connect(McpOwner owner, NewConnection request, String returnTo, URI redirectUri) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(request, "request cannot be null");
		URI serverUrl = request.serverUri();
		McpServerProbe.Result result = this.probe.probe(serverUrl);
		if (result.open()) {
			McpConnection connection = this.connections.create(owner, request, ConnectionStatus.ACTIVE,
					result.transport(), result.protocolVersion());
			this.audit.record(owner, AuditEvent.Type.CONNECT, connection.id(), "active", null);
			return new McpAuthorizationService.AuthorizationStart(connection, null);
		}
		McpConnection connection = this.connections.create(owner, request, ConnectionStatus.AUTHORIZATION_REQUIRED,
				result.transport(), result.protocolVersion());
		try {
			McpAuthorizationService.AuthorizationStart start = this.starter.start(connection,
					result.challenge().orElse(null), returnTo, redirectUri);
			this.audit.record(owner, AuditEvent.Type.CONNECT, connection.id(), "authorization-required",
					start.connection().issuer());
			return start;
		}
		catch (RuntimeException ex) {
			this.connections.delete(owner, connection.id());
			this.audit.record(owner, AuditEvent.Type.CONNECT, null, "refused",
					(ex instanceof McpConnectorException typed) ? typed.errorCode() : "error");
			throw ex;
		}
	}

}
