package dev.mcpconnector.authorization;

import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;

/**
 * An owner's connection in, a valid access token out: the credentials to send to the
 * connection's server, renewed when they expire or the server refuses them, at most one
 * renewal at a time per connection across every instance. What code outside a web request
 * (the tool executor) asks for a token.
 */
public interface AuthorizedConnectionManager {

	/**
	 * The credentials to send to a connection's server, renewed first when they expire within
	 * the configured clock skew.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the credentials, or empty when the server needs none
	 * @throws AuthorizationRequiredException when the grant no longer works; the connection
	 * is then marked for re-authorization
	 */
	Optional<ConnectionCredentials> authorize(McpOwner owner, UUID connectionId);

	/**
	 * New credentials because the server refused (or the caller found expired) the access
	 * token it sent. A caller that waited while another renewed gets the new credentials
	 * without a second token request.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param refusedAccessToken the access token found expired or refused, or {@code null} to
	 * renew unconditionally
	 * @return the fresh credentials
	 * @throws AuthorizationRequiredException when there is no way to renew them
	 */
	ConnectionCredentials reauthorize(McpOwner owner, UUID connectionId, String refusedAccessToken);

	/**
	 * A server refused a call for lack of scope: remember the union of granted, requested and
	 * challenged scopes and mark the connection for re-authorization.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param challenge the {@code insufficient_scope} challenge
	 * @return the exception to throw, carrying no URL (the frontend asks for one)
	 */
	AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId, BearerChallenge challenge);

}
