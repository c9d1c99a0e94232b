package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * Links a server without a browser: probes it, discovers its authorization server, takes the
 * pre-registered client there and lets the provider that recognizes the grant's attributes
 * obtain the first token. Nothing stays of a connection whose grant was refused.
 */
final class BrowserlessConnector {

	private final McpConnectionService connections;

	private final McpServerProbe probe;

	private final AuthorizationServers servers;

	private final ClientRegistrationResolver registrations;

	private final DefaultAuthorizedConnectionManager manager;

	BrowserlessConnector(McpConnectionService connections, McpServerProbe probe, AuthorizationServers servers,
			ClientRegistrationResolver registrations, DefaultAuthorizedConnectionManager manager) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(probe, "probe cannot be null");
		Assert.notNull(servers, "servers cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(manager, "manager cannot be null");
		this.connections = connections;
		this.probe = probe;
		this.servers = servers;
		this.registrations = registrations;
		this.manager = manager;
	}

	/**
	 * Link a server.
	 * @param owner the owner
	 * @param request the server
	 * @param grant the context attributes that name the grant
	 * @return the active connection
	 */
	McpConnection connect(McpOwner owner, NewConnection request, Map<String, Object> grant) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(request, "request cannot be null");
		URI serverUrl = request.serverUri();
		McpServerProbe.Result result = this.probe.probe(serverUrl);
		if (result.open()) {
			return this.connections.create(owner, request, ConnectionStatus.ACTIVE, result.transport(),
					result.protocolVersion());
		}
		AuthorizationServers.Target target = this.servers.discover(serverUrl, result.challenge().orElse(null));
		AuthorizationServerMetadata server = target.server();
		RegisteredClient client = this.registrations.current(server, target.resource())
			.filter((c) -> c.source() == ClientRegistrationSource.PRE_REGISTERED)
			.orElseThrow(() -> new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"No pre-registered client for " + server.issuer() + "; a grant without a browser needs one:"
							+ " configure it with mcp.connector.registration.clients.<name>.issuer=" + server.issuer()
							+ " and .client-id (and .client-secret or .private-key)"));
		Set<String> scopes = new LinkedHashSet<>(result.challenge().map(BearerChallenge::scopes).orElse(Set.of()));
		if (scopes.isEmpty()) {
			scopes.addAll(target.resourceScopes());
		}
		scopes.addAll(request.scopes());
		McpConnection connection = this.connections.create(owner, request, ConnectionStatus.AUTHORIZATION_REQUIRED,
				result.transport(), result.protocolVersion());
		try {
			AuthorizedConnection authorized = this.manager.authorize(AuthorizationContext.firstAuthorization(owner,
					connection, server, client, target.resource(), scopes, grant));
			this.servers.remember(server);
			return authorized.connection();
		}
		catch (RuntimeException ex) {
			this.connections.delete(owner, connection.id());
			throw ex;
		}
	}

}
