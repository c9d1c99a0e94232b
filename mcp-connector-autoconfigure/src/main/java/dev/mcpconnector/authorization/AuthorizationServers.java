package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.discovery.MetadataDiscovery;

import org.springframework.util.Assert;

/**
 * Which authorization server protects a server, and its metadata: discovered through the
 * server's protected resource metadata (or the 2025-03-26 rules), kept in the discovery's
 * bounded cache by issuer, and discovered again through the server when the cache has lost it.
 */
final class AuthorizationServers {

	private final MetadataDiscovery discovery;

	AuthorizationServers(MetadataDiscovery discovery) {
		Assert.notNull(discovery, "discovery cannot be null");
		this.discovery = discovery;
	}

	/**
	 * Discover how a server is protected, trying its authorization servers in order.
	 * @param serverUrl the server
	 * @param challenge the server's challenge, or {@code null}
	 * @return the resource, the first authorization server that answers, and the resource's scopes
	 */
	Target discover(URI serverUrl, BearerChallenge challenge) {
		MetadataDiscovery.Protection protection = this.discovery.discover(serverUrl, challenge);
		return new Target(protection.resource(), protection.server(), protection.resourceScopes());
	}

	/**
	 * The metadata of the authorization server a connection was authorized by: kept, or
	 * discovered again through the connection's server, which must still name that issuer.
	 * @param connection the connection
	 * @param issuer the issuer
	 * @return the metadata
	 */
	AuthorizationServerMetadata metadataFor(McpConnection connection, String issuer) {
		if (issuer == null) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK,
					"The connection has no authorization server");
		}
		Optional<AuthorizationServerMetadata> cached = this.discovery.cachedAuthorizationServer(issuer);
		if (cached.isPresent()) {
			return cached.get();
		}
		Target target = discover(connection.serverUrl(), null);
		if (!target.server().issuer().equals(issuer)) {
			throw new McpConnectorException(McpConnectorErrorCode.ISSUER_MISMATCH,
					"The server's authorization server changed; authorize the connection again");
		}
		remember(target.server());
		return target.server();
	}

	void remember(AuthorizationServerMetadata server) {
		this.discovery.cacheAuthorizationServer(server);
	}

	void forget() {
		this.discovery.forgetAuthorizationServers();
	}

	/**
	 * Where an authorization goes.
	 *
	 * @param resource the RFC 8707 resource the authorization server knows the server by
	 * @param server the authorization server
	 * @param resourceScopes the scopes the protected resource metadata lists
	 */
	record Target(URI resource, AuthorizationServerMetadata server, Set<String> resourceScopes) {
	}

}
