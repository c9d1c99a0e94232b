package dev.mcpconnector.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.execution.ConnectionCheck;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestClock;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The scheduled connection check (enabled by {@code mcp.connector.connection-check.enabled}),
 * run by hand with a clock the test moves: a connection whose server went down turns
 * {@code UNREACHABLE}, is not checked again within the interval, and turns {@code ACTIVE} when
 * the server is back; a connection in use (a live session) is left alone.
 */
@SpringBootTest(classes = { TestApplication.class, ConnectionCheckJobTests.Clocks.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "mcp.connector.connection-check.enabled=true", "mcp.connector.connection-check.interval=1h" })
class ConnectionCheckJobTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final TestClock clock = new TestClock(Instant.now());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	ConnectionCheckJob job;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpConnectionService connections;

	@Autowired
	McpConnectionRepository repository;

	@Test
	void idleConnectionsCheckedOncePerIntervalAndTheirStatusFollowsTheServer() {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		int flakyPort = NodePeer.freePort();
		int steadyPort = NodePeer.freePort();
		NodePeer steady = everything(steadyPort);
		NodePeer flaky = everything(flakyPort);
		try {
			McpConnection inUse = this.connections.create(alice,
					NewConnection.of("http://127.0.0.1:" + steadyPort + "/mcp"), ConnectionStatus.ACTIVE);
			McpConnection idle = this.connections.create(alice,
					NewConnection.of("http://127.0.0.1:" + flakyPort + "/mcp"), ConnectionStatus.ACTIVE);
			this.executor.listTools(alice, inUse.id());

			flaky.close();
			List<ConnectionCheck> first = this.job.runOnce();
			assertThat(first).extracting(ConnectionCheck::connectionId).containsExactly(idle.id());
			assertThat(first.get(0).reachable()).isFalse();
			assertThat(this.connections.get(alice, idle.id()).status()).isEqualTo(ConnectionStatus.UNREACHABLE);
			assertThat(this.connections.get(alice, inUse.id()).status()).isEqualTo(ConnectionStatus.ACTIVE);
			assertThat(this.executor.hasSession(alice, idle.id())).isFalse();

			flaky = everything(flakyPort);
			clock.advance(Duration.ofMinutes(30));
			assertThat(this.job.runOnce()).isEmpty();
			assertThat(this.connections.get(alice, idle.id()).status()).isEqualTo(ConnectionStatus.UNREACHABLE);

			clock.advance(Duration.ofMinutes(31));
			List<ConnectionCheck> third = this.job.runOnce();
			assertThat(third).extracting(ConnectionCheck::connectionId).containsExactly(idle.id());
			assertThat(third.get(0).reachable()).isTrue();
			assertThat(third.get(0).toolCount()).isPositive();
			assertThat(this.connections.get(alice, idle.id()).status()).isEqualTo(ConnectionStatus.ACTIVE);
			assertThat(this.executor.hasSession(alice, idle.id())).isFalse();
			System.out.printf("[Connection check] idle connection: UNREACHABLE after the server stopped, skipped"
					+ " within the interval, ACTIVE after it returned; the connection in use was skipped%n");
		}
		finally {
			flaky.close();
			steady.close();
		}
	}

	@Test
	void aRepositoryWithoutClaimForCheckIsRefusedWhenTheJobIsCreated() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new ConnectionCheckJob(new HostRepository(), this.executor, Duration.ofHours(1), 10, clock))
			.withMessageContaining(HostRepository.class.getName())
			.withMessageContaining("claimForCheck(Instant, Instant, int)");
		// The starter's own repository implements it.
		assertThat(new ConnectionCheckJob(this.repository, this.executor, Duration.ofHours(1), 10, clock)).isNotNull();
	}

	private static NodePeer everything(int port) {
		return NodePeer.start("server-everything-" + port,
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(port)), port);
	}

	/** A host's repository that leaves {@code claimForCheck} to the interface's default. */
	static class HostRepository implements McpConnectionRepository {

		private final McpConnectionRepository store = McpConnectionRepository.inMemory();

		@Override
		public McpConnection insert(McpConnection connection) {
			return this.store.insert(connection);
		}

		@Override
		public McpConnection update(McpConnection connection) {
			return this.store.update(connection);
		}

		@Override
		public List<McpConnection> findAll(McpOwner owner) {
			return this.store.findAll(owner);
		}

		@Override
		public Optional<McpConnection> find(McpOwner owner, UUID id) {
			return this.store.find(owner, id);
		}

		@Override
		public boolean delete(McpOwner owner, UUID id) {
			return this.store.delete(owner, id);
		}

		@Override
		public void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials credentials) {
			this.store.saveCredentials(owner, id, credentials);
		}

		@Override
		public Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id) {
			return this.store.findCredentials(owner, id);
		}

		@Override
		public void deleteCredentials(McpOwner owner, UUID id) {
			this.store.deleteCredentials(owner, id);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		Clock testClock() {
			return clock;
		}

	}

}
