package dev.mcpconnector.authorization;

import dev.mcpconnector.connection.McpConnection;

/**
 * How an authorization callback ended.
 *
 * @param connection the connection, as stored afterwards
 * @param returnTo where the browser should go, as recorded when it left, or {@code null}
 * @param error the authorization server's error code when the user or server declined (only
 * after its {@code iss} was verified), else {@code null}
 */
public record AuthorizationOutcome(McpConnection connection, String returnTo, String error) {

	public boolean isSuccess() {
		return this.error == null;
	}

}
