package dev.mcpconnector.actuate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link McpConnectorHealthIndicator} against a real PostgreSQL with mcp-connector's schema. */
class McpConnectorHealthIndicatorTests {

	@Test
	void summarizesConnectionStates() {
		try (ConfigurableApplicationContext context = instance()) {
			DataSource dataSource = context.getBean(DataSource.class);
			McpConnectorHealthIndicator indicator = new McpConnectorHealthIndicator(dataSource,
					McpConnectorTables.inDefaultSchema());
			Health empty = indicator.health();
			assertThat(empty.getStatus()).isEqualTo(Status.UP);
			assertThat(empty.getDetails()).containsEntry("ACTIVE", 0L)
				.containsEntry("AUTHORIZATION_REQUIRED", 0L)
				.containsEntry("REAUTHORIZATION_REQUIRED", 0L)
				.containsEntry("UNREACHABLE", 0L);

			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			insert(jdbc, "alice", "ACTIVE");
			insert(jdbc, "alice", "ACTIVE");
			insert(jdbc, "bob", "ACTIVE");
			insert(jdbc, "bob", "REAUTHORIZATION_REQUIRED");
			insert(jdbc, "carol", "AUTHORIZATION_REQUIRED");
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("ACTIVE", 3L)
				.containsEntry("REAUTHORIZATION_REQUIRED", 1L)
				.containsEntry("AUTHORIZATION_REQUIRED", 1L)
				.containsEntry("UNREACHABLE", 0L)
				.hasSize(4);
			assertThat(health.getDetails().toString()).doesNotContain("alice", "bob", "carol");
		}
	}

	@Test
	void isDownWhenTheQueryFails() {
		try (ConfigurableApplicationContext context = instance()) {
			McpConnectorHealthIndicator indicator = new McpConnectorHealthIndicator(
					context.getBean(DataSource.class), McpConnectorTables.inSchema("no_such_schema"));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsOnlyKeys("error");
			assertThat(health.getDetails().get("error").toString()).doesNotContain("no_such_schema");
		}
	}

	private static void insert(JdbcTemplate jdbc, String owner, String status) {
		Timestamp now = Timestamp.from(Instant.now());
		jdbc.update("insert into mcp_connection (id, tenant_id, owner_id, name, server_url, resource_uri, status,"
				+ " created_at, updated_at, version) values (?, '', ?, 'n', 'https://mcp.example/mcp',"
				+ " 'https://mcp.example/mcp', ?, ?, ?, 0)", UUID.randomUUID(), owner, status, now, now);
	}

	private static ConfigurableApplicationContext instance() {
		TestDatabase database = TestPostgres.newDatabase();
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key());
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

}
