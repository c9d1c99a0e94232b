package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.mcpconnector.registration.ClientRegistrationResolver;

import org.springframework.util.Assert;

/** Asks providers in order; the first that answers wins. */
final class DelegatingAuthorizedConnectionProvider implements AuthorizedConnectionProvider {

	private final List<AuthorizedConnectionProvider> providers;

	DelegatingAuthorizedConnectionProvider(List<AuthorizedConnectionProvider> providers) {
		Assert.notEmpty(providers, "providers cannot be empty");
		Assert.noNullElements(providers, "providers cannot contain null elements");
		this.providers = List.copyOf(providers);
	}

	/**
	 * The providers mcp-connector ships, in order: refresh token, client credentials, identity
	 * assertion, workload identity.
	 */
	static DelegatingAuthorizedConnectionProvider defaults(TokenEndpointClient tokens,
			ClientRegistrationResolver registrations, IdTokenVerifier idTokens, Clock clock, Duration clockSkew) {
		return new DelegatingAuthorizedConnectionProvider(List.of(
				new RefreshTokenAuthorizedConnectionProvider(tokens, registrations, idTokens, clock, clockSkew),
				new ClientCredentialsAuthorizedConnectionProvider(tokens, clock),
				new IdentityAssertionAuthorizedConnectionProvider(tokens, clock),
				new WorkloadIdentityAuthorizedConnectionProvider(tokens, clock)));
	}

	@Override
	public AuthorizedConnection authorize(AuthorizationContext context) {
		Assert.notNull(context, "context cannot be null");
		for (AuthorizedConnectionProvider provider : this.providers) {
			AuthorizedConnection authorized = provider.authorize(context);
			if (authorized != null) {
				return authorized;
			}
		}
		return null;
	}

}
