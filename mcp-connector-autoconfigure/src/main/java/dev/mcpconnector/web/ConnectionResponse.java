package dev.mcpconnector.web;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpTransport;

/**
 * A connection as the REST API shows it: no owner (the caller is the owner) and no secret.
 *
 * @param id the id
 * @param name the display name
 * @param serverUrl the MCP endpoint URL
 * @param status the status
 * @param issuer the authorization server, if any
 * @param scopes the granted scopes
 * @param transport the MCP transport the server speaks
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record ConnectionResponse(UUID id, String name, URI serverUrl, ConnectionStatus status, String issuer,
		Set<String> scopes, McpTransport transport, Instant createdAt, Instant updatedAt) {

	static ConnectionResponse of(McpConnection connection) {
		return new ConnectionResponse(connection.id(), connection.name(), connection.serverUrl(),
				connection.status(), connection.issuer(), new TreeSet<>(connection.grantedScopes()),
				connection.transport(), connection.createdAt(), connection.updatedAt());
	}

}
