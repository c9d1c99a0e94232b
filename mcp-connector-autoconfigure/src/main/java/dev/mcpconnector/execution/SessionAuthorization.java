package dev.mcpconnector.execution;

import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.AuthorizedConnectionManager;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;

import org.springframework.util.Assert;

/**
 * What a session needs from the authorization layer: the stored token, a refresh that is
 * serialized per connection, and the exception of a step-up. The one seam between execution
 * and authorization, so moving to another token manager changes {@link #of} only.
 */
interface SessionAuthorization {

	/**
	 * The connection's current credentials, refreshed first when they are about to expire.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the credentials, or empty when the connection needs none
	 */
	Optional<ConnectionCredentials> credentials(McpOwner owner, UUID connectionId);

	/**
	 * Refresh the access token, unless another caller already replaced the stale one.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param staleAccessToken the token the server refused, or {@code null}
	 * @return the fresh credentials
	 */
	ConnectionCredentials refresh(McpOwner owner, UUID connectionId, String staleAccessToken);

	/**
	 * The exception that asks the user for more scopes.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param challenge the server's {@code insufficient_scope} challenge
	 * @return the exception to throw
	 */
	AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId, BearerChallenge challenge);

	static SessionAuthorization of(McpAuthorizationService service) {
		Assert.notNull(service, "service cannot be null");
		return of(service.authorizedConnections());
	}

	static SessionAuthorization of(AuthorizedConnectionManager manager) {
		Assert.notNull(manager, "manager cannot be null");
		return new SessionAuthorization() {

			@Override
			public Optional<ConnectionCredentials> credentials(McpOwner owner, UUID connectionId) {
				return manager.authorize(owner, connectionId);
			}

			@Override
			public ConnectionCredentials refresh(McpOwner owner, UUID connectionId, String staleAccessToken) {
				return manager.reauthorize(owner, connectionId, staleAccessToken);
			}

			@Override
			public AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId,
					BearerChallenge challenge) {
				return manager.stepUpRequired(owner, connectionId, challenge);
			}

		};
	}

}
