package dev.mcpconnector.authorization;

import java.time.Instant;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * What a provider obtained: the connection as it should be stored and its new credentials.
 * {@link #toString()} redacts the credentials (through theirs).
 *
 * @param connection the connection, changed where the authorization changed it
 * @param credentials the credentials to store
 */
record AuthorizedConnection(McpConnection connection, ConnectionCredentials credentials) {

	AuthorizedConnection {
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(credentials, "credentials cannot be null");
	}

	/**
	 * A first authorization without a browser: the connection is active, authorized by the
	 * context's server for its resource and the scopes granted.
	 */
	static AuthorizedConnection activated(AuthorizationContext context, TokenResult result, Instant now) {
		ConnectionCredentials credentials = result.toCredentials(null, context.scopes(),
				context.client().map(RegisteredClient::clientId).orElse(null));
		String issuer = context.server().issuer();
		McpConnection connection = context.connection()
			.withAuthorizationTarget(context.resource(), issuer, context.scopes(), now)
			.withAuthorization(issuer, credentials.scopes(), now)
			.withStatus(ConnectionStatus.ACTIVE, now);
		return new AuthorizedConnection(connection, credentials);
	}

}
