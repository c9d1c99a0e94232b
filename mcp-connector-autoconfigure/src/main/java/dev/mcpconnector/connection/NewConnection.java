package dev.mcpconnector.connection;

import java.net.URI;
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

	/**
	 * The server URL, checked and parsed: an absolute http(s) URL with a host and no user info,
	 * at most 2048 characters, surrounding whitespace trimmed.
	 * @return the parsed URI
	 * @throws dev.mcpconnector.McpConnectorException {@code invalid-connection-request} when it
	 * is none of that
	 */
	public URI serverUri() {
		return CanonicalResourceUri.parseServerUrl(this.serverUrl);
	}

	public static NewConnection of(String serverUrl) {
		return new NewConnection(serverUrl, null, Set.of(), null, null);
	}

}
