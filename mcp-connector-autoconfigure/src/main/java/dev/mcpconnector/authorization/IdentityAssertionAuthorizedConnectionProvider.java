package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * Enterprise-Managed Authorization (cross-app access), for a first authorization that carries
 * an {@link IdentityAssertion}: the user's ID token is exchanged at their identity provider for
 * an ID-JAG addressed to the server's authorization server (RFC 8693), which is redeemed there
 * with the JWT bearer grant (RFC 7523).
 */
final class IdentityAssertionAuthorizedConnectionProvider implements AuthorizedConnectionProvider {

	/** Context attribute holding the {@link IdentityAssertion}. */
	static final String IDENTITY_ASSERTION = IdentityAssertionAuthorizedConnectionProvider.class.getName()
			+ ".IDENTITY_ASSERTION";

	private final TokenEndpointClient tokens;

	private final Clock clock;

	IdentityAssertionAuthorizedConnectionProvider(TokenEndpointClient tokens, Clock clock) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	public AuthorizedConnection authorize(AuthorizationContext context) {
		Assert.notNull(context, "context cannot be null");
		IdentityAssertion assertion = context.attribute(IDENTITY_ASSERTION);
		if (context.isRenewal() || assertion == null) {
			return null;
		}
		AuthorizationServerMetadata server = context.server();
		RegisteredClient client = context.client()
			.orElseThrow(() -> new IllegalStateException("A JWT bearer grant needs a client"));
		String idJag = this.tokens.exchangeForIdJag(assertion.idpTokenEndpoint(), assertion.idpClientId(),
				assertion.idToken(), server.issuer(), context.resource());
		TokenResult result = this.tokens.jwtBearer(client, server, idJag, context.scopes(), context.resource());
		return AuthorizedConnection.activated(context, result, this.clock.instant().truncatedTo(ChronoUnit.MICROS));
	}

	/**
	 * The user's identity at their identity provider. {@link #toString()} redacts the ID token.
	 *
	 * @param idpTokenEndpoint the identity provider's token endpoint
	 * @param idpClientId the application's client id there, or {@code null}
	 * @param idToken the user's ID token from it
	 */
	record IdentityAssertion(URI idpTokenEndpoint, String idpClientId, String idToken) {

		IdentityAssertion {
			Assert.notNull(idpTokenEndpoint, "idpTokenEndpoint cannot be null");
			Assert.hasText(idToken, "idToken cannot be empty");
		}

		@Override
		public String toString() {
			return "IdentityAssertion[idpTokenEndpoint=" + this.idpTokenEndpoint + ", idpClientId=" + this.idpClientId
					+ ", idToken=[REDACTED]]";
		}

	}

}
