package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * An application-level token through the client credentials grant, for a first authorization
 * that asks for it with {@link #CLIENT_CREDENTIALS}. The connection's owner is then an
 * application or tenant, not a person.
 */
final class ClientCredentialsAuthorizedConnectionProvider implements AuthorizedConnectionProvider {

	/** Context attribute ({@link Boolean#TRUE}) that asks for the client credentials grant. */
	static final String CLIENT_CREDENTIALS = ClientCredentialsAuthorizedConnectionProvider.class.getName()
			+ ".CLIENT_CREDENTIALS";

	private final TokenEndpointClient tokens;

	private final Clock clock;

	ClientCredentialsAuthorizedConnectionProvider(TokenEndpointClient tokens, Clock clock) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	public AuthorizedConnection authorize(AuthorizationContext context) {
		Assert.notNull(context, "context cannot be null");
		if (context.isRenewal() || !Boolean.TRUE.equals(context.attribute(CLIENT_CREDENTIALS))) {
			return null;
		}
		RegisteredClient client = context.client()
			.orElseThrow(() -> new IllegalStateException("A client credentials grant needs a client"));
		TokenResult result = this.tokens.clientCredentials(client, context.server(), context.scopes(),
				context.resource());
		return AuthorizedConnection.activated(context, result, this.clock.instant().truncatedTo(ChronoUnit.MICROS));
	}

}
