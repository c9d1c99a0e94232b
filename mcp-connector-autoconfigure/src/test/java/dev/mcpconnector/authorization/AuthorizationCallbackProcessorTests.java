package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The callback checks before any token request (state known, unused, this owner's, unexpired;
 * RFC 9207 {@code iss}), then the code exchange against a real token endpoint on loopback.
 */
@Tag("fast")
class AuthorizationCallbackProcessorTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			this.clock);

	private final InMemoryPendingAuthorizationStore pending = new InMemoryPendingAuthorizationStore();

	private final McpOwner alice = McpOwner.of("alice");

	private final AuthorizationCallbackProcessor processor;

	private final McpConnection connection;

	AuthorizationCallbackProcessorTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
		MetadataDiscovery discovery = new MetadataDiscovery(TestTokenEndpoint.http(), Set.of());
		discovery.cacheAuthorizationServer(this.endpoint.metadata());
		RegisteredClient client = new RegisteredClient(this.endpoint.issuer(), "app", "s3cret",
				ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientRegistrationSource.PRE_REGISTERED, null, null, null);
		ClientRegistrationResolver registrations = new ClientRegistrationResolver(TestTokenEndpoint.http(),
				ClientRegistrationStore.inMemory(), PreRegisteredClients.of(Map.of(this.endpoint.issuer(), client)),
				null, "test", this.clock);
		this.processor = new AuthorizationCallbackProcessor(this.connections, this.pending,
				new AuthorizationServers(discovery), registrations,
				new TokenEndpointClient(TestTokenEndpoint.http(), this.clock), null, this.clock);
		McpConnection created = this.connections.create(this.alice, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.AUTHORIZATION_REQUIRED);
		this.connection = this.connections.update(created.withAuthorizationTarget(created.resourceUri(),
				this.endpoint.issuer(), Set.of("read"), NOW));
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void processWhenStateAndIssMatchThenRedeemsTheCodeWithItsVerifierAndStoresTheTokens() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		AuthorizationOutcome outcome = this.processor.process(this.alice,
				new CallbackParameters("code-1", "state-1", this.endpoint.issuer(), null, null));

		assertThat(outcome.isSuccess()).isTrue();
		assertThat(outcome.returnTo()).isEqualTo("/back");
		assertThat(outcome.connection().status()).isEqualTo(ConnectionStatus.ACTIVE);
		TestTokenEndpoint.Request sent = this.endpoint.requests().get(0);
		assertThat(sent.param("grant_type")).isEqualTo("authorization_code");
		assertThat(sent.param("code")).isEqualTo("code-1");
		assertThat(sent.param("code_verifier")).isEqualTo(verifier());
		assertThat(sent.param("resource")).isEqualTo("https://mcp.example.com/mcp");
		assertThat(this.connections.findCredentials(this.alice, this.connection.id())).get()
			.satisfies((credentials) -> assertThat(credentials.accessToken()).isEqualTo("access-1"));
	}

	@Test
	void processWhenStateUnknownThenRefusedWithoutATokenRequest() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.processor
			.process(this.alice, new CallbackParameters("code-1", "state-2", this.endpoint.issuer(), null, null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void processWhenStateReplayedThenTheSecondCallbackIsRefused() {
		pending("state-1", this.alice, NOW.plusSeconds(300));
		CallbackParameters callback = new CallbackParameters("code-1", "state-1", this.endpoint.issuer(), null, null);
		this.processor.process(this.alice, callback);

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.processor.process(this.alice, callback))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).hasSize(1);
	}

	@Test
	void processWhenStateBelongsToAnotherOwnerThenRefusedWithoutATokenRequest() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.processor
			.process(McpOwner.of("mallory"), new CallbackParameters("code-1", "state-1", this.endpoint.issuer(), null, null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void processWhenTheRequestExpiredThenRefusedWithoutATokenRequest() {
		pending("state-1", this.alice, NOW);

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.processor
			.process(this.alice, new CallbackParameters("code-1", "state-1", this.endpoint.issuer(), null, null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void processWhenIssNamesAnotherIssuerThenRefusedWithoutATokenRequest() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.processor
			.process(this.alice, new CallbackParameters("code-1", "state-1", "https://evil.example.com", null, null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).isEmpty();
		assertThat(this.connections.findCredentials(this.alice, this.connection.id())).isEmpty();
	}

	@Test
	void processWhenIssMissingAlthoughTheServerPromisesItThenRefusedWithoutATokenRequest() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.processor
			.process(this.alice, new CallbackParameters("code-1", "state-1", null, null, null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK));
		assertThat(this.endpoint.requests()).isEmpty();
	}

	@Test
	void processWhenTheUserDeclinedThenTheOutcomeCarriesTheErrorAndNoTokenIsAskedFor() {
		pending("state-1", this.alice, NOW.plusSeconds(300));

		AuthorizationOutcome outcome = this.processor.process(this.alice,
				new CallbackParameters(null, "state-1", this.endpoint.issuer(), "access_denied", null));

		assertThat(outcome.isSuccess()).isFalse();
		assertThat(outcome.error()).isEqualTo("access_denied");
		assertThat(this.endpoint.requests()).isEmpty();
	}

	private void pending(String state, McpOwner owner, Instant expiresAt) {
		this.pending.save(new PendingAuthorization(AuthorizationRequestResolver.sha256(state), owner,
				this.connection.id(), verifier(), this.endpoint.issuer(), Set.of("read"),
				"https://app.example.com/cb", "/back", NOW.minusSeconds(10), expiresAt));
	}

	private static String verifier() {
		return "verifier-0123456789-0123456789-0123456789-0123456789";
	}

}
