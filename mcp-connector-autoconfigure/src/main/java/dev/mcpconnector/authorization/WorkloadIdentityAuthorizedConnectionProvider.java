package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * Workload identity federation (RFC 7523, MCP SEP-1933), for a first authorization that carries
 * a {@link #WORKLOAD_ASSERTION}: a JWT the platform issued to the application (a Kubernetes
 * service-account token, a cloud workload identity token) is the JWT bearer grant itself. The
 * connection acts as the application, not as a person. A refused grant is reported, never
 * retried with another grant type.
 */
final class WorkloadIdentityAuthorizedConnectionProvider implements AuthorizedConnectionProvider {

	/** Context attribute holding the {@code Supplier<String>} of the workload's JWT. */
	static final String WORKLOAD_ASSERTION = WorkloadIdentityAuthorizedConnectionProvider.class.getName()
			+ ".WORKLOAD_ASSERTION";

	private final TokenEndpointClient tokens;

	private final Clock clock;

	WorkloadIdentityAuthorizedConnectionProvider(TokenEndpointClient tokens, Clock clock) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	public AuthorizedConnection authorize(AuthorizationContext context) {
		Assert.notNull(context, "context cannot be null");
		Supplier<String> source = context.attribute(WORKLOAD_ASSERTION);
		if (context.isRenewal() || source == null) {
			return null;
		}
		RegisteredClient client = context.client()
			.orElseThrow(() -> new IllegalStateException("A JWT bearer grant needs a client"));
		String assertion = source.get();
		if (assertion == null || assertion.isBlank()) {
			throw new McpConnectorException(McpConnectorErrorCode.TOKEN_REQUEST_FAILED,
					"The workload identity source gave no token");
		}
		TokenResult result = this.tokens.jwtBearer(client, context.server(), assertion.strip(), context.scopes(),
				context.resource());
		return AuthorizedConnection.activated(context, result, this.clock.instant().truncatedTo(ChronoUnit.MICROS));
	}

}
