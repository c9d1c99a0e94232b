package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.registration.RegisteredClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7009 revocation against a real revocation endpoint on loopback. */
@Tag("fast")
class TokenRevokerTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	private final TokenRevoker revoker;

	private final McpConnection connection;

	TokenRevokerTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
		MetadataDiscovery discovery = new MetadataDiscovery(TestTokenEndpoint.http(), Set.of());
		discovery.cacheAuthorizationServer(this.endpoint.metadata());
		RegisteredClient client = new RegisteredClient(this.endpoint.issuer(), "app", "s3cret",
				ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientRegistrationSource.PRE_REGISTERED, null, null, null);
		this.revoker = new TokenRevoker(new AuthorizationServers(discovery),
				new ClientRegistrationResolver(TestTokenEndpoint.http(), ClientRegistrationStore.inMemory(),
						PreRegisteredClients.of(Map.of(this.endpoint.issuer(), client)), null, "test", this.clock),
				new TokenEndpointClient(TestTokenEndpoint.http(), this.clock));
		McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(), this.clock);
		McpConnection created = connections.create(McpOwner.of("alice"),
				NewConnection.of("https://mcp.example.com/mcp"), ConnectionStatus.ACTIVE);
		this.connection = connections
			.update(created.withAuthorization(this.endpoint.issuer(), Set.of("read"), NOW));
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void revokeWhenBothTokensAreHeldThenTheRefreshTokenGoesFirstThenTheAccessToken() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.ok());

		int revoked = this.revoker.revoke(this.connection,
				new ConnectionCredentials("access-1", "refresh-1", "Bearer", null, Set.of()));

		assertThat(revoked).isEqualTo(2);
		assertThat(this.endpoint.requests()).extracting(TestTokenEndpoint.Request::path)
			.containsExactly("/revoke", "/revoke");
		assertThat(this.endpoint.requests().get(0).param("token")).isEqualTo("refresh-1");
		assertThat(this.endpoint.requests().get(0).param("token_type_hint")).isEqualTo("refresh_token");
		assertThat(this.endpoint.requests().get(1).param("token")).isEqualTo("access-1");
		assertThat(this.endpoint.requests().get(1).param("client_secret")).isEqualTo("s3cret");
	}

	@Test
	void revokeWhenTheServerRefusesThenNothingIsThrown() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(503, "temporarily_unavailable"));

		assertThat(this.revoker.revoke(this.connection,
				new ConnectionCredentials("access-1", null, "Bearer", null, Set.of()))).isZero();
		assertThat(this.endpoint.requests()).hasSize(1);
	}

}
