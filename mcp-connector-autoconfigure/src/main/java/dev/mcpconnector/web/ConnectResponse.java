package dev.mcpconnector.web;

import java.net.URI;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;

/**
 * The answer to a connect or authorize request. {@link #toString()} (which frameworks log at
 * DEBUG) leaves out the authorization URL's query: its {@code state} and {@code nonce} are for
 * the browser, not for logs.
 *
 * @param id the connection id
 * @param name the name
 * @param serverUrl the server URL
 * @param status the status
 * @param protocolVersion the MCP revision the server speaks, or {@code null} while not known
 * (a server that wants authorization first)
 * @param authorizationUrl where to send the browser, or {@code null} when no consent is needed
 */
record ConnectResponse(UUID id, String name, URI serverUrl, ConnectionStatus status, String protocolVersion,
		URI authorizationUrl) {

	static ConnectResponse of(McpConnection connection, URI authorizationUrl) {
		return new ConnectResponse(connection.id(), connection.name(), connection.serverUrl(), connection.status(),
				connection.protocolVersion(), authorizationUrl);
	}

	@Override
	public String toString() {
		String url = (this.authorizationUrl != null) ? this.authorizationUrl.getScheme() + "://"
				+ this.authorizationUrl.getRawAuthority() + this.authorizationUrl.getRawPath()
				+ ((this.authorizationUrl.getRawQuery() != null) ? "?[REDACTED]" : "") : null;
		return "ConnectResponse[id=" + this.id + ", name=" + this.name + ", serverUrl=" + this.serverUrl + ", status="
				+ this.status + ", protocolVersion=" + this.protocolVersion + ", authorizationUrl=" + url + "]";
	}

}
