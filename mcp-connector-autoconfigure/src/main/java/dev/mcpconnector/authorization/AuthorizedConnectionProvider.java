package dev.mcpconnector.authorization;

/**
 * One way of obtaining credentials for a connection (a refresh token, the client credentials
 * grant, an identity assertion, ...). Returns {@code null} when the context is not its job, so
 * that providers chain ({@link DelegatingAuthorizedConnectionProvider}).
 */
@FunctionalInterface
interface AuthorizedConnectionProvider {

	/**
	 * Obtain credentials, if this provider can.
	 * @param context the owner, connection, held credentials and what is asked for
	 * @return the connection and its new credentials, or {@code null} when this is not the
	 * provider's job
	 * @throws UnusableGrantException when the grant stopped working
	 * @throws TokenRequestException when the authorization server failed otherwise
	 */
	AuthorizedConnection authorize(AuthorizationContext context);

}
