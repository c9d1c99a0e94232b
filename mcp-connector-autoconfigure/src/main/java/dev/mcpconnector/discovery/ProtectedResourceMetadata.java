package dev.mcpconnector.discovery;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * RFC 9728 protected resource metadata of an MCP server, already checked to describe that
 * server.
 *
 * @param metadataUrl where it was fetched
 * @param resource the {@code resource} identifier, used as RFC 8707 {@code resource}
 * @param authorizationServers the issuers of authorization servers the resource accepts, in
 * order of preference
 * @param scopesSupported the scopes the resource supports, possibly empty
 */
record ProtectedResourceMetadata(URI metadataUrl, URI resource, List<String> authorizationServers,
		Set<String> scopesSupported) {

	ProtectedResourceMetadata {
		authorizationServers = List.copyOf(authorizationServers);
		scopesSupported = Set.copyOf(scopesSupported);
	}

}
