package dev.mcpconnector.jpa;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Online key rotation: a new key becomes active and every stored secret (tokens, and the remote
 * accounts of OpenID Connect links) is re-encrypted under it in small batches while another
 * thread keeps reading and writing connections. Every row ends under the new key, no read or
 * write fails (rotating a remote account leaves the row's version alone), and the old key can
 * then be retired (the application reads everything with the new key alone); retiring it
 * earlier is refused.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class KeyRotationTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final String KEY_1 = TestKeys.newBase64Key();

	private static final String KEY_2 = TestKeys.newBase64Key();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", () -> KEY_1);
	}

	@Autowired
	McpConnectionService connections;

	@Autowired
	JpaMcpConnectionRepository repository;

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void rotateWhileServingThenRetireOldKey() throws Exception {
		McpOwner owner = McpOwner.of("rotation-" + UUID.randomUUID());
		List<UUID> ids = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 60; i++) {
			McpConnection connection = this.connections.create(owner, NewConnection.of("https://mcp.example.com/" + i),
					ConnectionStatus.ACTIVE);
			this.repository.saveCredentials(owner, connection.id(), credentials("token-" + i));
			if (i % 2 == 0) {
				this.repository.update(connection.withRemoteAccount(account(connection.id()), connection.updatedAt()));
			}
			ids.add(connection.id());
		}

		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k1", KEY_1);
		keys.put("k2", KEY_2);
		AesGcmSecretCipher rotated = AesGcmSecretCipher.fromBase64(keys, "k2");
		JpaMcpConnectionRepository served = new JpaMcpConnectionRepository(this.entityManagerFactory,
				this.transactionManager, rotated, Clock.systemUTC(),
				McpConnectorTables.inDefaultSchema());
		JpaKeyRotation rotation = new JpaKeyRotation(this.entityManagerFactory, this.transactionManager, rotated, "k2",
				McpConnectorTables.inDefaultSchema());
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> rotation.checkRetirable("k1"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.KEY_STILL_IN_USE));
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		dev.mcpconnector.metrics.TestMetrics
			.keyRotation(rotation::ciphertextsPerKey, "k2", keys.keySet(), java.time.Duration.ZERO, Clock.systemUTC())
			.bindTo(meters);
		double pendingBefore = meters.get("mcp.connector.encryption.rotation.pending").gauge().value();
		// 60 access tokens, 60 refresh tokens, 30 remote accounts
		assertThat(pendingBefore).isEqualTo(150);
		List<Double> progress = new java.util.ArrayList<>();

		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		AtomicInteger writes = new AtomicInteger();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		Map<UUID, String> latest = new java.util.concurrent.ConcurrentHashMap<>();
		Thread traffic = new Thread(() -> {
			while (running.get()) {
				try {
					UUID id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
					String token = served.findCredentials(owner, id).orElseThrow().accessToken();
					String expected = latest.get(id);
					if (expected != null && !expected.equals(token)) {
						throw new AssertionError("read an old token after a write");
					}
					McpConnection connection = served.find(owner, id).orElseThrow();
					if (connection.remoteAccount() != null && !connection.remoteAccount().equals(account(id))) {
						throw new AssertionError("read another remote account");
					}
					reads.incrementAndGet();
					if (reads.get() % 5 == 0) {
						// A read-modify-write of the connection row while rotation rewrites it.
						served.update(connection.withStatus(ConnectionStatus.ACTIVE,
								Instant.now().truncatedTo(ChronoUnit.MICROS)));
						writes.incrementAndGet();
					}
					if (reads.get() % 3 == 0) {
						String fresh = "rewritten-" + UUID.randomUUID();
						served.saveCredentials(owner, id, credentials(fresh));
						latest.put(id, fresh);
						writes.incrementAndGet();
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}
		});
		traffic.start();
		long rewritten = 0;
		int batches = 0;
		int done;
		do {
			done = rotation.rotateBatch(5);
			rewritten += done;
			batches++;
			progress.add(meters.get("mcp.connector.encryption.rotation.pending").gauge().value());
		}
		while (done > 0);
		running.set(false);
		traffic.join(10_000);

		Map<String, Long> perKey = rotation.ciphertextsPerKey();
		System.out.printf("[Key rotation] %d rows rewritten in %d batches while %d reads and %d writes ran;"
				+ " failed reads %d; ciphertexts per key %s%n", rewritten, batches, reads.get(), writes.get(),
				failures.size(), perKey);
		assertThat(failures).isEmpty();
		assertThat(reads.get()).isPositive();
		assertThat(perKey).containsOnlyKeys("k2");
		rotation.checkRetirable("k1");
		System.out.printf("[Key rotation] pending gauge %s -> %s%n", pendingBefore, progress);
		assertThat(progress).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		assertThat(progress.get(0)).isLessThan(pendingBefore);
		assertThat(progress.get(progress.size() - 1)).isZero();
		assertThat(meters.get("mcp.connector.encryption.ciphertexts").tag("key", "k1").gauge().value()).isZero();
		assertThat(meters.get("mcp.connector.encryption.ciphertexts").tag("key", "k2").gauge().value())
			.isEqualTo(perKey.get("k2").doubleValue());

		// Retired: the application now runs with k2 alone and reads every row.
		AesGcmSecretCipher k2Only = AesGcmSecretCipher.fromBase64(Map.of("k2", KEY_2), null);
		JpaMcpConnectionRepository afterRetirement = new JpaMcpConnectionRepository(this.entityManagerFactory,
				this.transactionManager, k2Only, Clock.systemUTC(),
				McpConnectorTables.inDefaultSchema());
		for (UUID id : ids) {
			String token = afterRetirement.findCredentials(owner, id).orElseThrow().accessToken();
			assertThat(token).isEqualTo(latest.getOrDefault(id, token));
		}
		assertThat(afterRetirement.findAll(owner)).hasSize(ids.size())
			.filteredOn((connection) -> connection.remoteAccount() != null)
			.hasSize(ids.size() / 2)
			.allSatisfy((connection) -> assertThat(connection.remoteAccount()).isEqualTo(account(connection.id())));
	}

	private static RemoteAccount account(UUID id) {
		return new RemoteAccount("sub-" + id, "Name " + id, "user", "user@example.com");
	}

	private static ConnectionCredentials credentials(String access) {
		return new ConnectionCredentials(access, "refresh-" + access, "Bearer",
				Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MICROS), Set.of("read"));
	}

}
