package dev.mcpconnector.connection;

import java.util.Set;

/**
 * What a user asks for when linking a server.
 *
 * @param serverUrl the MCP endpoint URL
 * @param name an optional display name; the host name when absent
 * @param scopes optional scopes to request in addition to those the server asks for
 * @param requestTimeout optional override of the request timeout for this server
 * @param limits optional overrides of the connect timeout and response size cap
 */
public record NewConnection(String serverUrl, String name, Set<String> scopes, java.time.Duration requestTimeout,
		ConnectionLimits limits) {

	public NewConnection {
		scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
	}

	public NewConnection(String serverUrl, String name, Set<String> scopes) {
		this(serverUrl, name, scopes, null, null);
	}

	public static NewConnection of(String serverUrl) {
		return new NewConnection(serverUrl, null, Set.of(), null, null);
	}

}
