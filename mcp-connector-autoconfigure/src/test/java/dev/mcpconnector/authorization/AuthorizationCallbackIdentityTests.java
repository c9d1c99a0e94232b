package dev.mcpconnector.authorization;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
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
 * The callback of an OpenID Connect authorization against a loopback provider that signs its ID
 * tokens with Ed25519 (as Better Auth does by default): the account is completed from userinfo
 * when the ID token lacks name or e-mail (and only when userinfo names the same subject), and a
 * refresh whose ID token lacks them keeps them; a grant (first or refreshed) whose ID token is
 * refused is revoked, not just dropped.
 */
@Tag("fast")
class AuthorizationCallbackIdentityTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private static final String NONCE = "nonce-1";

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokenEndpoint endpoint;

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			this.clock);

	private final InMemoryPendingAuthorizationStore pending = new InMemoryPendingAuthorizationStore();

	private final McpOwner alice = McpOwner.of("alice");

	private final KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

	private final AtomicReference<String> idTokenClaims = new AtomicReference<>();

	private final AtomicReference<String> userInfo = new AtomicReference<>();

	private final AtomicReference<String> signingKeyId = new AtomicReference<>("ed-1");

	private final java.util.concurrent.atomic.AtomicBoolean keysDown = new java.util.concurrent.atomic.AtomicBoolean();

	private final AuthorizationCallbackProcessor processor;

	private final RefreshTokenAuthorizedConnectionProvider refresher;

	private final AuthorizationServerMetadata server;

	private final RegisteredClient client;

	private final McpConnection connection;

	AuthorizationCallbackIdentityTests() throws Exception {
		this.endpoint = new TestTokenEndpoint();
		byte[] encoded = this.key.getPublic().getEncoded();
		String jwks = new JWKSet(new OctetKeyPair.Builder(Curve.Ed25519,
				Base64URL.encode(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)))
			.keyID("ed-1")
			.keyUse(KeyUse.SIGNATURE)
			.build()).toString(true);
		this.endpoint.respond((request) -> switch (request.path()) {
			case "/jwks" -> this.keysDown.get() ? new TestTokenEndpoint.Response(503, "{}")
					: new TestTokenEndpoint.Response(200, jwks);
			case "/userinfo" -> new TestTokenEndpoint.Response(200, this.userInfo.get());
			case "/revoke" -> TestTokenEndpoint.Response.ok();
			default -> new TestTokenEndpoint.Response(200, "{\"access_token\":\"access-1\",\"token_type\":\"Bearer\","
					+ "\"expires_in\":3600,\"refresh_token\":\"refresh-1\",\"id_token\":\"" + idToken() + "\"}");
		});
		this.server = new AuthorizationServerMetadata(this.endpoint.issuer(),
				this.endpoint.url("/authorize"), this.endpoint.url("/token"), null, this.endpoint.url("/revoke"),
				List.of("S256"), Set.of("openid", "profile", "email"), List.of("client_secret_basic"), Set.of(), true,
				false, this.endpoint.url("/jwks"), this.endpoint.url("/userinfo"), Set.of("EdDSA"),
				AuthorizationServerMetadata.Source.OPENID_CONFIGURATION);
		MetadataDiscovery discovery = new MetadataDiscovery(TestTokenEndpoint.http(), Set.of());
		discovery.cacheAuthorizationServer(this.server);
		this.client = new RegisteredClient(this.endpoint.issuer(), "app", "s3cret",
				ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientRegistrationSource.PRE_REGISTERED, null, null, null);
		ClientRegistrationResolver registrations = new ClientRegistrationResolver(TestTokenEndpoint.http(),
				ClientRegistrationStore.inMemory(), PreRegisteredClients.of(Map.of(this.endpoint.issuer(), this.client)),
				null, "test", this.clock);
		this.processor = new AuthorizationCallbackProcessor(this.connections, this.pending,
				new AuthorizationServers(discovery), registrations,
				new TokenEndpointClient(TestTokenEndpoint.http(), this.clock),
				new IdTokenVerifier(TestTokenEndpoint.http(), Duration.ofSeconds(60), this.clock),
				new UserInfoClient(TestTokenEndpoint.http()), this.clock);
		this.refresher = new RefreshTokenAuthorizedConnectionProvider(
				new TokenEndpointClient(TestTokenEndpoint.http(), this.clock), registrations,
				new IdTokenVerifier(TestTokenEndpoint.http(), Duration.ofSeconds(60), this.clock), this.clock,
				Duration.ZERO);
		McpConnection created = this.connections.create(this.alice, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.AUTHORIZATION_REQUIRED);
		this.connection = this.connections.update(created.withAuthorizationTarget(created.resourceUri(),
				this.endpoint.issuer(), Set.of("read"), NOW));
		this.idTokenClaims.set(claims(null));
		this.userInfo.set("{\"sub\":\"user-7\",\"name\":\"Pat Example\",\"email\":\"pat@example.com\"}");
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void processWhenIdTokenLacksNameAndEmailThenTakenFromUserinfoWithTheAccessToken() {
		RemoteAccount account = callback().connection().remoteAccount();

		assertThat(account.subject()).isEqualTo("user-7");
		assertThat(account.name()).isEqualTo("Pat Example");
		assertThat(account.email()).isEqualTo("pat@example.com");
		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/userinfo"))
			.singleElement()
			.satisfies((r) -> assertThat(r.authorization()).isEqualTo("Bearer access-1"));
	}

	@Test
	void processWhenIdTokenHasNameAndEmailThenUserinfoNotCalled() {
		this.idTokenClaims.set(claims(",\"name\":\"From Token\",\"email\":\"token@example.com\""));

		RemoteAccount account = callback().connection().remoteAccount();

		assertThat(account.name()).isEqualTo("From Token");
		assertThat(this.endpoint.requests()).noneMatch((r) -> r.path().equals("/userinfo"));
	}

	@Test
	void processWhenUserinfoNamesAnotherSubjectThenIgnored() {
		this.userInfo.set("{\"sub\":\"someone-else\",\"name\":\"Mallory\",\"email\":\"m@example.com\"}");

		RemoteAccount account = callback().connection().remoteAccount();

		assertThat(account.subject()).isEqualTo("user-7");
		assertThat(account.name()).isNull();
		assertThat(account.email()).isNull();
	}

	@Test
	void processWhenIdTokenRefusedThenTheRedeemedGrantIsRevokedAndNothingStored() {
		this.signingKeyId.set("ed-unknown");

		assertThatExceptionOfType(InvalidIdTokenException.class).isThrownBy(this::callback)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(InvalidIdTokenException.Reason.NO_MATCHING_KEY));

		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/revoke"))
			.extracting((r) -> r.param("token"))
			.containsExactly("refresh-1", "access-1");
		assertThat(this.connections.findCredentials(this.alice, this.connection.id())).isEmpty();
	}

	@Test
	void refreshWhenIdTokenLacksNameAndEmailThenTheOnesFromUserinfoAreKept() {
		McpConnection linked = callback().connection();

		AuthorizedConnection refreshed = this.refresher.authorize(renewal(linked));

		assertThat(refreshed.credentials().accessToken()).isEqualTo("access-1");
		assertThat(refreshed.connection().remoteAccount().name()).isEqualTo("Pat Example");
		assertThat(refreshed.connection().remoteAccount().email()).isEqualTo("pat@example.com");
	}

	@Test
	void refreshWhenIdTokenRefusedThenTheRefreshedGrantIsRevoked() {
		McpConnection linked = callback().connection();
		this.signingKeyId.set("ed-unknown");

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> this.refresher.authorize(renewal(linked)));

		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/revoke"))
			.extracting((r) -> r.param("token"))
			.containsExactly("refresh-1", "access-1");
	}

	@Test
	void refreshWhenTheServersKeysCannotBeFetchedThenNothingIsRevoked() {
		McpConnection linked = callback().connection();
		this.signingKeyId.set("ed-2");
		this.keysDown.set(true);

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> this.refresher.authorize(renewal(linked)));

		// An outage at the issuer is not a reason to end the grant.
		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/jwks")).hasSizeGreaterThan(1);
		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/revoke")).isEmpty();
	}

	@Test
	void refreshWhenIdTokenNamesAnotherSubjectThenTheRefreshedGrantIsRevoked() {
		McpConnection linked = callback().connection();
		this.idTokenClaims.set(claims(null).replace("user-7", "user-8"));

		assertThatExceptionOfType(UnusableGrantException.class)
			.isThrownBy(() -> this.refresher.authorize(renewal(linked)));

		assertThat(this.endpoint.requests()).filteredOn((r) -> r.path().equals("/revoke")).hasSize(2);
	}

	private AuthorizationContext renewal(McpConnection connection) {
		ConnectionCredentials credentials = new ConnectionCredentials("access-0", "refresh-0", "Bearer",
				NOW.minusSeconds(1), Set.of("read"));
		return AuthorizationContext.renewal(this.alice, connection, credentials, false, () -> this.server,
				(server) -> Optional.of(this.client));
	}

	private AuthorizationOutcome callback() {
		this.pending.save(new PendingAuthorization(AuthorizationRequestResolver.sha256("state-1"), this.alice,
				this.connection.id(), "verifier-0123456789-0123456789-0123456789-0123456789", this.endpoint.issuer(),
				Set.of("read"), "https://app.example.com/cb", "/back", NOW.minusSeconds(10), NOW.plusSeconds(300),
				AuthorizationRequestResolver.sha256(NONCE)));
		return this.processor.process(this.alice,
				new CallbackParameters("code-1", "state-1", this.endpoint.issuer(), null, null));
	}

	private String claims(String extra) {
		long now = NOW.getEpochSecond();
		return "{\"iss\":\"" + this.endpoint.issuer() + "\",\"aud\":\"app\",\"sub\":\"user-7\",\"iat\":" + now
				+ ",\"exp\":" + (now + 300) + ",\"nonce\":\"" + NONCE + "\"" + ((extra != null) ? extra : "") + "}";
	}

	private String idToken() {
		try {
			String input = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"" + this.signingKeyId.get() + "\"}") + "."
					+ Base64URL.encode(this.idTokenClaims.get());
			Signature signer = Signature.getInstance("Ed25519");
			signer.initSign(this.key.getPrivate());
			signer.update(input.getBytes(StandardCharsets.US_ASCII));
			return input + "." + Base64URL.encode(signer.sign());
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
