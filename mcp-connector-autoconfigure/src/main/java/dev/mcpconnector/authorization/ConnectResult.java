package dev.mcpconnector.authorization;

import java.net.URI;

import dev.mcpconnector.connection.McpConnection;

/**
 * The connection a connect request made, and where to send the browser when it needs
 * authorization.
 *
 * @param connection the stored connection
 * @param authorizationUrl the authorization URL, or {@code null} when the server needs none
 */
public record ConnectResult(McpConnection connection, URI authorizationUrl) {
}
