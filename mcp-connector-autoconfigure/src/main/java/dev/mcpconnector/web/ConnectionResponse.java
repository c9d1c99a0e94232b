package dev.mcpconnector.web;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.connection.RemoteAccount;

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
 * @param protocolVersion the MCP revision the server speaks, such as {@code 2026-07-28}, or
 * {@code null} while it is not known yet
 * @param remoteAccount the account at the authorization server the connection is signed in as
 * (OpenID Connect), or {@code null} when unknown
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
record ConnectionResponse(UUID id, String name, URI serverUrl, ConnectionStatus status, String issuer,
		Set<String> scopes, McpTransport transport, String protocolVersion, RemoteAccountResponse remoteAccount,
		Instant createdAt, Instant updatedAt) {

	static ConnectionResponse of(McpConnection connection) {
		return new ConnectionResponse(connection.id(), connection.name(), connection.serverUrl(),
				connection.status(), connection.issuer(), new TreeSet<>(connection.grantedScopes()),
				connection.transport(), connection.protocolVersion(), RemoteAccountResponse.of(connection.remoteAccount()),
				connection.createdAt(), connection.updatedAt());
	}

	/**
	 * The remote account as the REST API shows it.
	 *
	 * @param subject the {@code sub} at the connection's issuer
	 * @param name what to show: the {@code name}, else the {@code preferred_username}, else the
	 * {@code email}, else the subject
	 * @param username the {@code preferred_username}, or {@code null}
	 * @param email the {@code email}, or {@code null}
	 */
	public record RemoteAccountResponse(String subject, String name, String username, String email) {

		static RemoteAccountResponse of(RemoteAccount account) {
			return (account != null) ? new RemoteAccountResponse(account.subject(), account.displayName(),
					account.preferredUsername(), account.email()) : null;
		}

	}

}
