package dev.mcpconnector.authorization;

/** Keeps what a provider obtained. */
@FunctionalInterface
interface AuthorizationSuccessHandler {

	/**
	 * Keep a provider's result.
	 * @param context what the provider worked from
	 * @param authorized what it obtained
	 * @return the result as stored
	 */
	AuthorizedConnection onAuthorizationSuccess(AuthorizationContext context, AuthorizedConnection authorized);

}
