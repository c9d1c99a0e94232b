package dev.mcpconnector.web;

import java.util.Set;

/**
 * The body of {@code POST /connections}.
 *
 * @param serverUrl the MCP server URL
 * @param name an optional display name
 * @param scopes optional extra scopes
 * @param returnTo an optional same-origin path to return to after consent
 */
public record ConnectRequest(String serverUrl, String name, Set<String> scopes, String returnTo) {
}
