package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;

/**
 * Builds the SDK client transport of one MCP transport (Streamable HTTP, the HTTP+SSE
 * transport of 2024-11-05, and whatever the next protocol revision brings). The session
 * factory picks the one whose {@link #transport()} the connection speaks.
 */
interface McpClientTransportFactory {

	/**
	 * The transport this factory builds.
	 * @return the transport
	 */
	McpTransport transport();

	/**
	 * Build a transport for a session; may talk to the server first (status and headers only).
	 * @param request the session's connection, HTTP client and token
	 * @return the transport
	 */
	McpClientTransport create(TransportRequest request);

	/**
	 * What a transport is built from.
	 *
	 * @param owner the owner
	 * @param connection the connection
	 * @param client the HTTP client builder (egress-guarded, recording)
	 * @param connectTimeout the connect timeout
	 * @param maxResponseBytes the largest response accepted
	 * @param tokens the session's bearer token
	 */
	record TransportRequest(McpOwner owner, McpConnection connection, HttpClient.Builder client,
			Duration connectTimeout, int maxResponseBytes, SessionTokenSource tokens) {

		URI url() {
			return this.connection.serverUrl();
		}

		/** {@code scheme://authority} of the server URL. */
		String baseUrl() {
			return url().getScheme() + "://" + url().getRawAuthority();
		}

		/** The server URL's path and query, {@code /} when it has no path. */
		String endpoint() {
			URI url = url();
			String path = (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
			return (url.getRawQuery() != null) ? path + "?" + url.getRawQuery() : path;
		}

	}

}
