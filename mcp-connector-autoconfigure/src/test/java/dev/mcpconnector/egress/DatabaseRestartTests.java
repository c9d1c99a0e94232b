package dev.mcpconnector.egress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestOAuthPeer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * PostgreSQL restarted mid-run: while it is down, warm tool calls keep working (they need no
 * database) and cold operations fail with Spring's typed data-access exceptions; once it is
 * back, everything works again and no connection or token was lost.
 */
class DatabaseRestartTests {

	@Test
	void restartMidRunLosesNothing() throws Exception {
		Path data = Files.createTempDirectory("mcp-restart-pg");
		int port = NodePeer.freePort();
		EmbeddedPostgres postgres = start(port, data);
		String url = postgres.getJdbcUrl("postgres", "postgres");
		try (TestOAuthPeer peer = new TestOAuthPeer();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
					.web(WebApplicationType.NONE)
					.properties("spring.datasource.url=" + url, "spring.datasource.username=postgres",
							"spring.datasource.password=postgres", "spring.jpa.hibernate.ddl-auto=validate",
							"spring.datasource.hikari.connection-timeout=2000",
							"spring.datasource.hikari.validation-timeout=1000",
							"mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
							"mcp.connector.egress.allow-insecure-loopback=true")
					.run()) {
			McpAuthorizationService authorization = context.getBean(McpAuthorizationService.class);
			McpToolExecutor executor = context.getBean(McpToolExecutor.class);
			McpConnectionService connections = context.getBean(McpConnectionService.class);
			McpConnectionRepository repository = context.getBean(McpConnectionRepository.class);
			McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
			UUID id = peer.connectAndConsent(authorization, alice);
			executor.callTool(alice, id, "echo", Map.of("message", "before"));
			ConnectionCredentials before = repository.findCredentials(alice, id).orElseThrow();

			postgres.close();
			int warmDuringOutage = 0;
			for (int i = 0; i < 20; i++) {
				executor.callTool(alice, id, "echo", Map.of("message", "during " + i));
				warmDuringOutage++;
			}
			assertThatExceptionOfType(dev.mcpconnector.connection.StorageUnavailableException.class)
				.isThrownBy(() -> connections.list(alice));

			postgres = start(port, data);
			List<?> listed = awaitDatabase(() -> connections.list(alice));
			assertThat(listed).hasSize(1);
			ConnectionCredentials after = repository.findCredentials(alice, id).orElseThrow();
			assertThat(after.accessToken()).isEqualTo(before.accessToken());
			assertThat(after.refreshToken()).isEqualTo(before.refreshToken());
			executor.close(alice, id);
			executor.callTool(alice, id, "echo", Map.of("message", "after"));
			System.out.printf("[Faults suite] PostgreSQL restarted mid-run: %d warm calls succeeded while it was down;"
					+ " connections lost 0, tokens lost 0%n", warmDuringOutage);
		}
		finally {
			postgres.close();
		}
	}

	private static <T> T awaitDatabase(java.util.function.Supplier<T> operation) throws InterruptedException {
		RuntimeException last = null;
		for (int i = 0; i < 30; i++) {
			try {
				return operation.get();
			}
			catch (dev.mcpconnector.connection.StorageUnavailableException ex) {
				last = ex;
				Thread.sleep(500);
			}
		}
		throw last;
	}

	private static EmbeddedPostgres start(int port, Path data) throws java.io.IOException {
		return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
	}


}
