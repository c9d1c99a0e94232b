package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.BearerChallenge;
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
 * The authorized-connection manager over an in-memory connection service and a real token
 * endpoint on loopback: valid tokens cost no request, expired ones are refreshed once however
 * many callers wait, and a dead grant marks the connection and is audited.
 */
@Tag("fast")
class AuthorizedConnectionManagerTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			this.clock);

	private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();

	private final AtomicInteger locked = new AtomicInteger();

	private final McpOwner alice = McpOwner.of("alice");

	private final DefaultAuthorizedConnectionManager manager;

	AuthorizedConnectionManagerTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
		MetadataDiscovery discovery = new MetadataDiscovery(TestTokenEndpoint.http(), Set.of());
		discovery.cacheAuthorizationServer(this.endpoint.metadata());
		RegisteredClient client = new RegisteredClient(this.endpoint.issuer(), "app", "s3cret",
				ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientRegistrationSource.PRE_REGISTERED, null, null, null);
		ClientRegistrationResolver registrations = new ClientRegistrationResolver(TestTokenEndpoint.http(),
				ClientRegistrationStore.inMemory(), PreRegisteredClients.of(Map.of(this.endpoint.issuer(), client)),
				null, "test", this.clock);
		TokenEndpointClient tokens = new TokenEndpointClient(TestTokenEndpoint.http(), this.clock);
		AuthorizationAudit audit = new AuthorizationAudit(this.audited::add, this.clock);
		RefreshLock countingLock = new RefreshLock() {
			@Override
			public <T> T withLock(UUID connectionId, Supplier<T> action) {
				AuthorizedConnectionManagerTests.this.locked.incrementAndGet();
				return action.get();
			}
		};
		this.manager = new DefaultAuthorizedConnectionManager(this.connections,
				new AuthorizationServers(discovery), registrations,
				DelegatingAuthorizedConnectionProvider.defaults(tokens, registrations, null, this.clock,
						Duration.ofSeconds(30)),
				new StoreCredentialsSuccessHandler(this.connections, audit),
				new ReauthorizationRequiredFailureHandler(this.connections, audit), countingLock, this.clock,
				Duration.ofSeconds(30));
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void authorizeWhenTokenValidThenReturnsItWithoutARequest() {
		UUID id = authorizedConnection(NOW.plusSeconds(600), "refresh-1");

		assertThat(this.manager.authorize(this.alice, id)).get()
			.extracting(ConnectionCredentials::accessToken)
			.isEqualTo("access-0");
		assertThat(this.endpoint.requests()).isEmpty();
		assertThat(this.locked).hasValue(0);
	}

	@Test
	void authorizeWhenServerNeedsNoTokenThenEmpty() {
		McpConnection open = this.connections.create(this.alice, NewConnection.of("https://open.example.com/mcp"),
				ConnectionStatus.ACTIVE);

		assertThat(this.manager.authorize(this.alice, open.id())).isEmpty();
	}

	@Test
	void authorizeWhenTokenExpiresWithinTheSkewThenRefreshesStoresAndAudits() {
		UUID id = authorizedConnection(NOW.plusSeconds(10), "refresh-1");
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-1", "refresh-2", 600));

		ConnectionCredentials fresh = this.manager.authorize(this.alice, id).orElseThrow();

		assertThat(fresh.accessToken()).isEqualTo("access-1");
		assertThat(this.connections.findCredentials(this.alice, id)).contains(fresh);
		assertThat(fresh.refreshToken()).isEqualTo("refresh-2");
		assertThat(this.audited).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.REFRESH);
		assertThat(this.locked).hasValue(1);
	}

	@Test
	void reauthorizeWhenManyCallersFindTheSameTokenRefusedThenOneRefreshServesThemAll() throws Exception {
		UUID id = authorizedConnection(NOW.plusSeconds(600), "refresh-1");
		AtomicInteger issued = new AtomicInteger();
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-" + issued.incrementAndGet(),
				"refresh-" + (issued.get() + 1), 600));
		ExecutorService pool = Executors.newFixedThreadPool(16);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<String>> calls = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			calls.add(pool.submit(() -> {
				start.await();
				return this.manager.reauthorize(this.alice, id, "access-0").accessToken();
			}));
		}
		start.countDown();
		for (Future<String> call : calls) {
			assertThat(call.get()).isEqualTo("access-1");
		}
		pool.shutdown();

		assertThat(this.endpoint.requests()).hasSize(1);
		assertThat(this.locked).hasValue(32);
	}

	@Test
	void reauthorizeWhenTheGrantIsRefusedThenMarksReauthorizationRequiredAndAudits() {
		UUID id = authorizedConnection(NOW.minusSeconds(1), "refresh-1");
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(400, "invalid_grant"));

		assertThatExceptionOfType(AuthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.reauthorize(this.alice, id, "access-0"))
			.satisfies((ex) -> assertThat(ex.connectionId()).isEqualTo(id));

		assertThat(this.connections.get(this.alice, id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
		assertThat(this.audited).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(AuditEvent.Type.REFRESH_FAILURE);
			assertThat(event.outcome()).isEqualTo("reauthorization-required");
		});
	}

	@Test
	void authorizeWhenExpiredWithoutRefreshTokenThenReauthorizationRequiredWithoutARequest() {
		UUID id = authorizedConnection(NOW.minusSeconds(1), null);

		assertThatExceptionOfType(AuthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.authorize(this.alice, id));
		assertThat(this.endpoint.requests()).isEmpty();
		assertThat(this.connections.get(this.alice, id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
	}

	@Test
	void reauthorizeWhenTheServerIsDownThenTheConnectionStaysActive() {
		UUID id = authorizedConnection(NOW.minusSeconds(1), "refresh-1");
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.error(503, "temporarily_unavailable"));

		assertThatExceptionOfType(TokenRequestException.class)
			.isThrownBy(() -> this.manager.reauthorize(this.alice, id, null));
		assertThat(this.connections.get(this.alice, id).status()).isEqualTo(ConnectionStatus.ACTIVE);
		assertThat(this.audited).isEmpty();
	}

	@Test
	void reauthorizeWhenAnotherOwnerAsksThenItIsAMissingGrant() {
		UUID id = authorizedConnection(NOW.minusSeconds(1), "refresh-1");

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.manager.reauthorize(McpOwner.of("mallory"), id, null))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.endpoint.requests()).isEmpty();
		assertThat(this.audited).isEmpty();
		assertThat(this.connections.get(this.alice, id).status()).isEqualTo(ConnectionStatus.ACTIVE);
	}

	@Test
	void authorizeWhenAnotherOwnerAsksThenNotFoundLikeAMissingConnection() {
		UUID id = authorizedConnection(NOW.plusSeconds(600), "refresh-1");

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.manager.authorize(McpOwner.of("mallory"), id))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.manager.authorize(McpOwner.of("mallory"), UUID.randomUUID()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.endpoint.requests()).isEmpty();
		assertThat(this.audited).isEmpty();
	}

	@Test
	void stepUpRequiredWhenChallengedForMoreScopeThenRemembersTheUnionAndMarksTheConnection() {
		UUID id = authorizedConnection(NOW.plusSeconds(600), "refresh-1");
		BearerChallenge challenge = BearerChallenge.parse("Bearer error=\"insufficient_scope\", scope=\"write\"")
			.orElseThrow();

		AuthorizationRequiredException ex = this.manager.stepUpRequired(this.alice, id, challenge);

		assertThat(ex.isStepUp()).isTrue();
		McpConnection connection = this.connections.get(this.alice, id);
		assertThat(connection.requestedScopes()).containsExactlyInAnyOrder("read", "write");
		assertThat(connection.status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
	}

	/** The in-process lock of a connection lives only while a renewal holds or waits for it. */
	@Test
	void reauthorizeWhenManyConnectionsWereRenewedThenNoLockIsKept() {
		this.endpoint.respond((request) -> TestTokenEndpoint.Response.tokens("access-1", "refresh-2", 600));
		for (int i = 0; i < 50; i++) {
			UUID id = authorizedConnection(NOW.plusSeconds(600), "refresh-1");
			this.manager.reauthorize(this.alice, id, "access-0");
		}

		assertThat(this.locked).hasValue(50);
		assertThat(this.manager.localLockCount()).isZero();
	}

	private UUID authorizedConnection(Instant expiresAt, String refreshToken) {
		McpConnection created = this.connections.create(this.alice, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.ACTIVE);
		this.connections.update(created.withAuthorization(this.endpoint.issuer(), Set.of("read"), NOW));
		this.connections.saveCredentials(this.alice, created.id(),
				new ConnectionCredentials("access-0", refreshToken, "Bearer", expiresAt, Set.of("read")));
		return created.id();
	}

}
