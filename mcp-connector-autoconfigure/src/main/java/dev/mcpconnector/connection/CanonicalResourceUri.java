package dev.mcpconnector.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

/**
 * The canonical URI of an MCP server, as RFC 8707 {@code resource} and the MCP authorization
 * spec use it: lower-case scheme and host, no default port, no fragment, no user info, and no
 * trailing slash. Other packages reach it through {@link McpConnection#resourceUriOf} and
 * {@link NewConnection#serverUri()}.
 */
final class CanonicalResourceUri {

	/** Longest server URL accepted. */
	static final int MAX_LENGTH = 2048;

	private CanonicalResourceUri() {
	}

	/**
	 * Parse and check a server URL as a user typed it.
	 * @param serverUrl the URL
	 * @return the parsed absolute URI
	 * @throws McpConnectorException {@code invalid-connection-request} when it is not an absolute http(s) URL with a
	 * host, carries user info, or is too long
	 */
	static URI parseServerUrl(String serverUrl) {
		if (serverUrl == null || serverUrl.isBlank()) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl is required");
		}
		String trimmed = serverUrl.trim();
		if (trimmed.length() > MAX_LENGTH) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl is longer than " + MAX_LENGTH + " characters");
		}
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			if (c <= 0x20 || c == 0x7f) {
				throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl contains whitespace or control characters");
			}
		}
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl is not a valid URI");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"https".equals(scheme) && !"http".equals(scheme)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl must be an absolute http or https URL");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl must name a host");
		}
		if (uri.getRawUserInfo() != null) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl must not carry user info");
		}
		return uri;
	}

	/**
	 * The canonical resource URI of a server URL.
	 * @param serverUrl an absolute http(s) URL
	 * @return the canonical URI
	 */
	static URI of(URI serverUrl) {
		String scheme = serverUrl.getScheme().toLowerCase(Locale.ROOT);
		String host = serverUrl.getHost().toLowerCase(Locale.ROOT);
		int port = serverUrl.getPort();
		if (("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80)) {
			port = -1;
		}
		String path = serverUrl.getRawPath();
		if (path == null) {
			path = "";
		}
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		StringBuilder sb = new StringBuilder(scheme).append("://").append(host);
		if (port != -1) {
			sb.append(':').append(port);
		}
		sb.append(path);
		if (serverUrl.getRawQuery() != null) {
			sb.append('?').append(serverUrl.getRawQuery());
		}
		return URI.create(sb.toString());
	}

}
