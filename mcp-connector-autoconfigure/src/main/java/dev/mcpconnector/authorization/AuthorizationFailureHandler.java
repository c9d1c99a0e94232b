package dev.mcpconnector.authorization;

import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;

/** Decides what a failed renewal leaves behind and what its caller sees. */
@FunctionalInterface
interface AuthorizationFailureHandler {

	/**
	 * Handle a failed renewal of a connection's credentials.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param failure what the provider (or the manager) threw
	 * @return the exception to throw to the caller
	 */
	RuntimeException onAuthorizationFailure(McpOwner owner, UUID connectionId, RuntimeException failure);

}
