package dev.mcpconnector.jpa;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.PendingAuthorization;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.StoredClientRegistration;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Storage on a real PostgreSQL: owner scoping, encryption at rest, tamper and row-swap
 * detection, key rotation, single-use pending authorizations.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JpaStorageTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final String KEY_1 = TestKeys.newBase64Key();

	// Fresh owners per test (JUnit makes an instance per test), so tests sharing the database
	// never see each other's rows.
	private final McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());

	private final McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", () -> KEY_1);
	}

	@Autowired
	McpConnectionService service;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	ClientRegistrationStore registrations;

	@Autowired
	PendingAuthorizationStore pending;

	@Autowired
	SecretCipher cipher;

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void storageRunsOnPostgresql() {
		String version = this.jdbc.queryForObject("select version()", String.class);
		assertThat(version).startsWith("PostgreSQL");
		System.out.println("[JpaStorageTests] storage tests ran on " + version);
		assertThat(this.repository).isInstanceOf(JpaMcpConnectionRepository.class);
	}

	@Test
	void listGetDeleteWhenOtherOwnerThenBehavesAsNonexistentAndRowIsUntouched() {
		McpConnection alices = create(this.alice, "https://mcp.example.com/mcp");
		this.repository.saveCredentials(this.alice, alices.id(), credentials("alice-token", "alice-refresh"));
		String before = rowText(alices.id());

		assertThat(this.service.list(this.bob)).isEmpty();
		McpConnectorException foreignGet = catchNotFound(() -> this.service.get(this.bob, alices.id()));
		McpConnectorException missingGet = catchNotFound(() -> this.service.get(this.bob, UUID.randomUUID()));
		assertThat(foreignGet.getMessage()).isEqualTo(missingGet.getMessage());
		assertThat(foreignGet.errorCode()).isEqualTo(missingGet.errorCode());
		McpConnectorException foreignDelete = catchNotFound(() -> {
			this.service.delete(this.bob, alices.id());
			return null;
		});
		assertThat(foreignDelete.getMessage()).isEqualTo(missingGet.getMessage());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.service.updateStatus(this.bob, alices.id(), ConnectionStatus.ACTIVE))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.saveCredentials(this.bob, alices.id(), credentials("bob-token", null)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.repository.findCredentials(this.bob, alices.id())).isEmpty();
		this.repository.deleteCredentials(this.bob, alices.id());

		assertThat(rowText(alices.id())).isEqualTo(before);
		assertThat(this.service.get(this.alice, alices.id())).isEqualTo(alices);
		assertThat(this.repository.findCredentials(this.alice, alices.id()))
			.hasValueSatisfying((c) -> assertThat(c.accessToken()).isEqualTo("alice-token"));
		assertThat(this.service.list(this.alice)).extracting(McpConnection::id).contains(alices.id());
	}

	@Test
	void getWhenSamePrincipalInAnotherTenantThenNotFound() {
		McpOwner aliceInT1 = McpOwner.of("t1", "alice");
		McpOwner aliceInT2 = McpOwner.of("t2", "alice");
		McpConnection connection = create(aliceInT1, "https://mcp.example.com/t1");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.service.get(aliceInT2, connection.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.service.get(this.alice, connection.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.service.list(aliceInT2)).isEmpty();
		assertThat(this.service.get(aliceInT1, connection.id())).isEqualTo(connection);
	}

	@Test
	void saveCredentialsKeepsTheClientTheGrantWasIssuedTo() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/client-id");
		ConnectionCredentials issued = new ConnectionCredentials("t", "r", "Bearer", null, Set.of("read"),
				"https://app.example.com/api/mcp/oauth/client-metadata.json");
		this.repository.saveCredentials(this.alice, connection.id(), issued);
		assertThat(this.repository.findCredentials(this.alice, connection.id())).contains(issued);
		this.repository.saveCredentials(this.alice, connection.id(), credentials("t2", "r2"));
		assertThat(this.repository.findCredentials(this.alice, connection.id())).get()
			.extracting(ConnectionCredentials::clientId)
			.isNull();
	}

	@Test
	void deleteWhenOwnerThenRemovesConnectionAndCredentials() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/delete-me");
		this.repository.saveCredentials(this.alice, connection.id(), credentials("t", "r"));
		this.service.delete(this.alice, connection.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.service.get(this.alice, connection.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from mcp_connection_credentials where connection_id = ?", Integer.class,
				connection.id()))
			.isZero();
	}

	@Test
	void updateStatusWhenStaleVersionThenRefused() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/versioned");
		McpConnection active = this.service.updateStatus(this.alice, connection.id(), ConnectionStatus.ACTIVE);
		assertThat(active.version()).isEqualTo(connection.version() + 1);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository
				.update(connection.withStatus(ConnectionStatus.UNREACHABLE, Instant.now())))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_CONCURRENTLY_MODIFIED));
	}

	@Test
	void updateProtocolVersionWhenOwnerThenStoredInItsColumnAndScopedToTheOwner() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/revision");
		assertThat(connection.protocolVersion()).isNull();
		assertThat(this.jdbc.queryForObject("select protocol_version from mcp_connection where id = ?", String.class,
				connection.id())).isNull();

		this.service.updateProtocolVersion(this.alice, connection.id(), "2026-07-28");
		assertThat(this.service.get(this.alice, connection.id()).protocolVersion()).isEqualTo("2026-07-28");
		assertThat(this.jdbc.queryForObject("select protocol_version from mcp_connection where id = ?", String.class,
				connection.id())).isEqualTo("2026-07-28");

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.service.updateProtocolVersion(this.bob, connection.id(), "2025-11-25"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		// Other updates keep it; null forgets it.
		this.service.updateStatus(this.alice, connection.id(), ConnectionStatus.ACTIVE);
		assertThat(this.service.get(this.alice, connection.id()).protocolVersion()).isEqualTo("2026-07-28");
		this.service.updateProtocolVersion(this.alice, connection.id(), null);
		assertThat(this.service.get(this.alice, connection.id()).protocolVersion()).isNull();
	}

	@Test
	void secretColumnsWhenReadRawThenHoldNoPlaintext() {
		String access = "sentinel-access-" + UUID.randomUUID();
		String refresh = "sentinel-refresh-" + UUID.randomUUID();
		String verifier = "sentinel-verifier-" + UUID.randomUUID();
		String clientSecret = "sentinel-client-secret-" + UUID.randomUUID();
		McpConnection connection = create(this.alice, "https://mcp.example.com/raw");
		this.repository.saveCredentials(this.alice, connection.id(), credentials(access, refresh));
		this.pending.save(pending(connection, sha256("state-raw"), verifier));
		this.registrations.save(registration("https://as.example.com/raw", clientSecret));

		List<String> dump = this.jdbc.queryForList(
				"select t::text from mcp_connection_credentials t union all select t::text from mcp_pending_authorization t"
						+ " union all select t::text from mcp_client_registration t union all select t::text from mcp_connection t",
				String.class);
		List<byte[]> raw = this.jdbc.query(
				"select access_token as b from mcp_connection_credentials union all select refresh_token from mcp_connection_credentials"
						+ " union all select code_verifier from mcp_pending_authorization"
						+ " union all select client_secret from mcp_client_registration",
				(rs, i) -> rs.getBytes(1));
		for (String secret : List.of(access, refresh, verifier, clientSecret)) {
			String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
			String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
			assertThat(dump).noneMatch((row) -> row.contains(secret) || row.contains(hex) || row.contains(b64));
			assertThat(raw).noneMatch((bytes) -> bytes != null
					&& new String(bytes, StandardCharsets.ISO_8859_1).contains(secret));
		}
		assertThat(this.repository.findCredentials(this.alice, connection.id()))
			.hasValueSatisfying((c) -> assertThat(c.refreshToken()).isEqualTo(refresh));
		assertThat(this.registrations.find("https://as.example.com/raw"))
			.hasValueSatisfying((r) -> assertThat(r.clientSecret()).isEqualTo(clientSecret));
	}

	@Test
	void findCredentialsWhenOneByteFlippedThenTypedException() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/flip");
		this.repository.saveCredentials(this.alice, connection.id(), credentials("flip-token", "flip-refresh"));
		byte[] stored = this.jdbc.queryForObject(
				"select access_token from mcp_connection_credentials where connection_id = ?", byte[].class,
				connection.id());
		byte[] tampered = stored.clone();
		tampered[tampered.length - 5] ^= 0x40;
		this.jdbc.update("update mcp_connection_credentials set access_token = ? where connection_id = ?", tampered,
				connection.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.alice, connection.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("flip-token"));
	}

	@Test
	void findCredentialsWhenCiphertextMovedToAnotherRowThenTypedException() {
		McpConnection alices = create(this.alice, "https://mcp.example.com/moved-a");
		McpConnection alicesOther = create(this.alice, "https://mcp.example.com/moved-a2");
		McpConnection bobs = create(this.bob, "https://mcp.example.com/moved-b");
		this.repository.saveCredentials(this.alice, alices.id(), credentials("alice-secret-token", "alice-secret-refresh"));
		this.repository.saveCredentials(this.alice, alicesOther.id(), credentials("alice-other", null));
		this.repository.saveCredentials(this.bob, bobs.id(), credentials("bob-token", "bob-refresh"));

		// Alice's token copied into Bob's row: Bob must not be able to use it.
		this.jdbc.update("update mcp_connection_credentials set access_token = (select access_token from"
				+ " mcp_connection_credentials where connection_id = ?) where connection_id = ?", alices.id(), bobs.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.bob, bobs.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));

		// Into another row of the same owner.
		this.jdbc.update("update mcp_connection_credentials set access_token = (select access_token from"
				+ " mcp_connection_credentials where connection_id = ?) where connection_id = ?", alices.id(),
				alicesOther.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.alice, alicesOther.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));

		// Into another column of the same row.
		this.jdbc.update("update mcp_connection_credentials set refresh_token = access_token where connection_id = ?",
				alices.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.alice, alices.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));

		// The whole row re-owned by Bob.
		McpConnection bobs2 = create(this.bob, "https://mcp.example.com/moved-b2");
		this.repository.saveCredentials(this.bob, bobs2.id(), credentials("bob2", null));
		this.jdbc.update("update mcp_connection set owner_id = ? where id = ?", this.bob.principal(), alicesOther.id());
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.bob, alicesOther.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
	}

	@Test
	void clientSecretWhenMovedToAnotherIssuerThenTypedException() {
		this.registrations.save(registration("https://as-one.example.com", "one-secret"));
		this.registrations.save(registration("https://as-two.example.com", "two-secret"));
		this.jdbc.update("update mcp_client_registration set client_secret = (select client_secret from"
				+ " mcp_client_registration where issuer = ?) where issuer = ?", "https://as-one.example.com",
				"https://as-two.example.com");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.registrations.find("https://as-two.example.com"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
		assertThat(this.registrations.find("https://as-one.example.com"))
			.hasValueSatisfying((r) -> assertThat(r.clientSecret()).isEqualTo("one-secret"));
	}

	@Test
	void readWhenActiveKeyRotatedThenOldRowsReadAndNewRowsCarryNewKeyId() {
		McpConnection old = create(this.alice, "https://mcp.example.com/rotation-old");
		this.repository.saveCredentials(this.alice, old.id(), credentials("old-token", "old-refresh"));

		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k1", KEY_1);
		keys.put("k2", TestKeys.newBase64Key());
		AesGcmSecretCipher rotated = AesGcmSecretCipher.fromBase64(keys, "k2");
		JpaMcpConnectionRepository afterRotation = new JpaMcpConnectionRepository(this.entityManagerFactory,
				this.transactionManager, rotated, Clock.systemUTC(),
				McpConnectorTables.inDefaultSchema());

		assertThat(afterRotation.findCredentials(this.alice, old.id())).hasValueSatisfying((c) -> {
			assertThat(c.accessToken()).isEqualTo("old-token");
			assertThat(c.refreshToken()).isEqualTo("old-refresh");
		});
		McpConnection fresh = create(this.alice, "https://mcp.example.com/rotation-new");
		afterRotation.saveCredentials(this.alice, fresh.id(), credentials("new-token", "new-refresh"));

		assertThat(rotated.keyIdOf(rawAccessToken(old.id()))).contains("k1");
		assertThat(rotated.keyIdOf(rawAccessToken(fresh.id()))).contains("k2");
		// Rewriting an old row moves it to the new key.
		afterRotation.saveCredentials(this.alice, old.id(), afterRotation.findCredentials(this.alice, old.id()).orElseThrow());
		assertThat(rotated.keyIdOf(rawAccessToken(old.id()))).contains("k2");
		// The application still on the old ring cannot read rows under a key it lacks.
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.repository.findCredentials(this.alice, fresh.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
	}

	@Test
	void consumeWhenCalledTwiceThenOnlyFirstGetsIt() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/pending");
		String hash = sha256("state-once");
		this.pending.save(pending(connection, hash, "verifier-once"));
		assertThat(this.pending.consume(hash)).hasValueSatisfying((p) -> {
			assertThat(p.codeVerifier()).isEqualTo("verifier-once");
			assertThat(p.owner()).isEqualTo(this.alice);
			assertThat(p.toString()).doesNotContain("verifier-once");
		});
		assertThat(this.pending.consume(hash)).isEmpty();
	}

	@Test
	void consumeWhenRacedThenExactlyOneWins() throws Exception {
		McpConnection connection = create(this.alice, "https://mcp.example.com/race");
		for (int round = 0; round < 5; round++) {
			String hash = sha256("state-race-" + round);
			this.pending.save(pending(connection, hash, "verifier-race"));
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Callable<Boolean>> tasks = java.util.Collections.nCopies(8,
						() -> this.pending.consume(hash).isPresent());
				long winners = 0;
				for (Future<Boolean> result : pool.invokeAll(tasks)) {
					winners += result.get() ? 1 : 0;
				}
				assertThat(winners).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	@Test
	void deleteExpiredWhenPastExpiryThenRemoved() {
		McpConnection connection = create(this.alice, "https://mcp.example.com/expiry");
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		this.pending.save(new PendingAuthorization(sha256("expired"), this.alice, connection.id(), "v", "https://as",
				Set.of(), "https://app/cb", null, now.minusSeconds(700), now.minusSeconds(100)));
		this.pending.save(pending(connection, sha256("live"), "v"));
		assertThat(this.pending.deleteExpired(now)).isGreaterThanOrEqualTo(1);
		assertThat(this.pending.consume(sha256("expired"))).isEmpty();
		assertThat(this.pending.consume(sha256("live"))).isPresent();
	}

	private byte[] rawAccessToken(UUID id) {
		return this.jdbc.queryForObject("select access_token from mcp_connection_credentials where connection_id = ?",
				byte[].class, id);
	}

	private String rowText(UUID id) {
		return this.jdbc.queryForObject("select c::text || coalesce((select cr::text from mcp_connection_credentials cr"
				+ " where cr.connection_id = c.id), '') from mcp_connection c where c.id = ?", String.class, id);
	}

	@Test
	void refreshLockWhenLockTimesOutThenStorageUnavailableAndTheActionDoesNotRun() throws Exception {
		UUID id = UUID.randomUUID();
		// An unpooled data source whose sessions give up waiting for a lock after 200 ms (55P03).
		DataSource impatient = new DelegatingDataSource(database.dataSource()) {
			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				try (Statement statement = connection.createStatement()) {
					statement.execute("set lock_timeout = '200ms'");
				}
				return connection;
			}
		};
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService holder = Executors.newSingleThreadExecutor();
		try {
			Future<?> holding = holder.submit(() -> new PostgresAdvisoryRefreshLock(this.dataSource).withLock(id, () -> {
				held.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return null;
			}));
			assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
			AtomicBoolean ran = new AtomicBoolean();
			assertThatExceptionOfType(StorageUnavailableException.class)
				.isThrownBy(() -> new PostgresAdvisoryRefreshLock(impatient).withLock(id, () -> ran.getAndSet(true)));
			assertThat(ran).isFalse();
			release.countDown();
			holding.get(10, TimeUnit.SECONDS);
		}
		finally {
			release.countDown();
			holder.shutdownNow();
		}
	}

	@Test
	void claimForCheckWhenOneRowCannotBeReadThenTheOthersAreClaimedAndItsClaimHolds() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		McpConnection broken = signedIn(this.alice, "https://mcp.example.com/claim-broken");
		McpConnection fine = signedIn(this.alice, "https://mcp.example.com/claim-fine");
		byte[] stored = this.jdbc.queryForObject("select remote_account from mcp_connection where id = ?",
				byte[].class, broken.id());
		byte[] tampered = stored.clone();
		tampered[tampered.length - 3] ^= 0x10;
		this.jdbc.update("update mcp_connection set remote_account = ? where id = ?", tampered, broken.id());

		List<McpConnection> claimed = this.repository.claimForCheck(now, now, 10_000);
		assertThat(claimed).extracting(McpConnection::id).contains(fine.id()).doesNotContain(broken.id());
		assertThat(claimed).filteredOn((c) -> c.id().equals(fine.id()))
			.singleElement()
			.satisfies((c) -> assertThat(c.remoteAccount().subject()).isEqualTo("sub-claim-fine"));
		// The claim of the unreadable row committed with the others: it waits for its next turn.
		assertThat(this.jdbc.queryForObject("select count(*) from mcp_connection where id in (?, ?)"
				+ " and checked_at is not null", Integer.class, broken.id(), fine.id())).isEqualTo(2);
		assertThat(this.repository.claimForCheck(now, now, 10_000)).extracting(McpConnection::id)
			.doesNotContain(broken.id(), fine.id());
	}

	private McpConnection signedIn(McpOwner owner, String url) {
		McpConnection connection = this.service.create(owner, NewConnection.of(url), ConnectionStatus.ACTIVE);
		String name = url.substring(url.lastIndexOf('/') + 1);
		return this.repository.update(connection.withRemoteAccount(
				new RemoteAccount("sub-" + name, "Name " + name, name, name + "@example.com"), Instant.now()));
	}

	private McpConnection create(McpOwner owner, String url) {
		return this.service.create(owner, NewConnection.of(url), ConnectionStatus.AUTHORIZATION_REQUIRED);
	}

	private static ConnectionCredentials credentials(String access, String refresh) {
		return new ConnectionCredentials(access, refresh, "Bearer",
				Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MICROS), Set.of("read"));
	}

	private static PendingAuthorization pending(McpConnection connection, String stateHash, String verifier) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		return new PendingAuthorization(stateHash, connection.owner(), connection.id(), verifier,
				"https://as.example.com", Set.of("read"), "https://app.example.com/api/mcp/oauth/callback", "/",
				now, now.plusSeconds(600));
	}

	private static StoredClientRegistration registration(String issuer, String secret) {
		return new StoredClientRegistration(issuer, "client-" + issuer.hashCode(), secret,
				dev.mcpconnector.registration.ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
				ClientRegistrationSource.DYNAMIC, "https://app.example.com/cb", null,
				Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-256")
					.digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static McpConnectorException catchNotFound(Callable<?> action) {
		try {
			action.call();
		}
		catch (McpConnectorException ex) {
			assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND);
			return ex;
		}
		catch (Exception ex) {
			throw new AssertionError("expected connection-not-found", ex);
		}
		throw new AssertionError("expected connection-not-found");
	}

}
