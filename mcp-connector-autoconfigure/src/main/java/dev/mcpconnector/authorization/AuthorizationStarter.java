package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Starts an authorization of a connection: discovers its authorization server, finds the
 * client there, resolves the request, records it as pending and stores where the connection
 * is now authorized. A connection whose server moved to another authorization server loses its
 * previous grant here (SEP-2352): revoked at the server that issued it when that still can be
 * done, then deleted; the new server gets a registration of its own, as registrations are kept
 * per issuer.
 */
final class AuthorizationStarter {

	private static final Logger logger = LoggerFactory.getLogger(AuthorizationStarter.class);

	private final McpConnectionService connections;

	private final PendingAuthorizationStore pending;

	private final AuthorizationServers servers;

	private final ClientRegistrationResolver registrations;

	private final AuthorizationRequestResolver requests;

	private final TokenRevoker revoker;

	private final Clock clock;

	AuthorizationStarter(McpConnectionService connections, PendingAuthorizationStore pending,
			AuthorizationServers servers, ClientRegistrationResolver registrations,
			AuthorizationRequestResolver requests, TokenRevoker revoker, Clock clock) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(pending, "pending cannot be null");
		Assert.notNull(servers, "servers cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(requests, "requests cannot be null");
		Assert.notNull(revoker, "revoker cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.connections = connections;
		this.pending = pending;
		this.servers = servers;
		this.registrations = registrations;
		this.requests = requests;
		this.revoker = revoker;
		this.clock = clock;
	}

	McpAuthorizationService.AuthorizationStart start(McpConnection connection, BearerChallenge challenge,
			String returnTo, URI redirectUri) {
		Assert.notNull(redirectUri, "redirectUri cannot be null");
		AuthorizationServers.Target target = this.servers.discover(connection.serverUrl(), challenge);
		AuthorizationServerMetadata server = target.server();
		RegisteredClient client = this.registrations.resolve(server, redirectUri, target.resource());
		AuthorizationRequestResolver.ResolvedRequest request = this.requests.resolve(connection, challenge, target,
				client, redirectUri, returnTo);
		this.pending.save(request.pending());
		this.servers.remember(server);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		McpConnection next = connection.withAuthorizationTarget(target.resource(), server.issuer(), request.scopes(),
				now);
		if (connection.issuer() != null && !connection.issuer().equals(server.issuer())) {
			// The server now names another authorization server. The stored grant belongs to the
			// previous one: never let a refresh or a revocation send it to the new one, even if this
			// authorization is abandoned; and the previous remote account no longer applies. The
			// previous server is asked to revoke it while its metadata is still known (the resource
			// no longer names it, so it is not discovered again); the revoker never fails.
			this.connections.findCredentials(connection.owner(), connection.id())
				.ifPresent((credentials) -> this.revoker.revoke(connection, credentials));
			this.connections.deleteCredentials(connection.owner(), connection.id());
			next = next.withRemoteAccount(null, now)
				.withStatus((connection.status() == ConnectionStatus.AUTHORIZATION_REQUIRED)
						? ConnectionStatus.AUTHORIZATION_REQUIRED : ConnectionStatus.REAUTHORIZATION_REQUIRED, now);
			logger.info("Connection {} moves from authorization server {} to {}; its previous grant was dropped",
					connection.id(), connection.issuer(), server.issuer());
		}
		McpConnection updated = this.connections.update(next);
		logger.debug("Authorization of connection {} started at {}", connection.id(), server.issuer());
		return new McpAuthorizationService.AuthorizationStart(updated, request.url());
	}

}
