package dev.mcpconnector.web;

import java.util.Set;

/**
 * The body of {@code POST /connections}.
 *
 * @param serverUrl the MCP server URL
 * @param name an optional display name
 * @param scopes optional extra scopes
 * @param returnTo an optional same-origin path to return to after consent
 * @param requestTimeout an optional per-server request timeout (ISO-8601, such as {@code PT60S})
 * @param connectTimeout an optional per-server connect timeout (ISO-8601)
 * @param maxResponseBytes an optional per-server cap on MCP response size
 */
record ConnectRequest(String serverUrl, String name, Set<String> scopes, String returnTo,
		java.time.Duration requestTimeout, java.time.Duration connectTimeout, Long maxResponseBytes) {
}
