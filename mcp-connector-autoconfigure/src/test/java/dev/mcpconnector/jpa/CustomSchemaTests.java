package dev.mcpconnector.jpa;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.audit.TestAuditLogs;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.ConnectionCheck;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.scheduling.TestJobs;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestClock;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import dev.mcpconnector.usage.UsageService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code mcp.connector.schema.name} set to a schema of its own: connect, the OAuth callback, a
 * tool call, audit, usage, rate limiting, key rotation, the health query, the connection check
 * and retention all run against a real PostgreSQL and a real loopback OAuth peer, and every
 * table of mcp-connector ends up in that schema and none in {@code public}. The connection's
 * {@code search_path} is left at PostgreSQL's default, so a statement that still named an
 * unqualified table would fail (there is none in {@code public} to fall back on), and Hibernate
 * validates every entity against the schema at start-up.
 */
@SpringBootTest(classes = { TestApplication.class, CustomSchemaTests.Clocks.class },
		properties = { "mcp.connector.schema.name=" + CustomSchemaTests.SCHEMA,
				"mcp.connector.connection-check.enabled=true", "mcp.connector.connection-check.interval=1h",
				"mcp.connector.retention.audit=1d", "mcp.connector.retention.interval=1h",
				"mcp.connector.governance.rate-limits.per-user.capacity=100",
				"mcp.connector.governance.rate-limits.per-user.period=1h" })
@AutoConfigureMockMvc
class CustomSchemaTests {

	static final String SCHEMA = "mcp_tenant_x";

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final TestClock clock = new TestClock(Instant.now());

	private static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpConnectionService connections;

	@Autowired
	@Qualifier("mcpConnectorAuditLog")
	AuditLog auditLog;

	@Autowired
	AuditQuery auditQuery;

	@Autowired
	UsageService usage;

	@Autowired
	@Qualifier("mcpConnectorConnectionCheckJob")
	SmartLifecycle connectionCheck;

	@Autowired
	@Qualifier("mcpConnectorRetentionJob")
	SmartLifecycle retention;

	@Autowired
	JpaKeyRotation keyRotation;

	@Autowired
	@Qualifier("mcpConnectorHealthIndicator")
	HealthIndicator health;

	@Autowired
	McpConnectorTables tables;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void everyPathUsesTheConfiguredSchemaAndEveryTableIsInIt() throws Exception {
		assertThat(this.tables.schema()).isEqualTo(SCHEMA);
		assertThat(this.jdbc.queryForObject("show search_path", String.class)).doesNotContain(SCHEMA);
		String alice = "alice-" + UUID.randomUUID();
		McpOwner owner = McpOwner.of(alice);
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			// Connect and the OAuth callback, through the REST API (JPA: connection, client
			// registration, pending authorization, credentials).
			JsonNode connected = connect(peer, alice);
			UUID id = UUID.fromString(connected.get("id").asString());
			URI redirect = TestOAuthPeer.authorizeRedirect(URI.create(connected.get("authorizationUrl").asString()));
			this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(alice))
				.accept(MediaType.APPLICATION_JSON))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.connection.status").value("ACTIVE"));
			assertThat(rows("mcp_connection_credentials")).isEqualTo(1);
			assertThat(rows("mcp_client_registration")).isEqualTo(1);

			// A tool call (audited, rate-limited), then audit and usage read back (JDBC).
			assertThat(this.executor.callTool(owner, id, "echo", Map.of("message", "hi")).isError()).isNotEqualTo(true);
			assertThat(rows("mcp_rate_limit_bucket")).isPositive();
			TestAuditLogs.flush(this.auditLog);
			assertThat(TestAuditLogs.failedCount(this.auditLog)).isZero();
			List<AuditQuery.Row> audited = this.auditQuery.forOwner(owner, AuditEvent.Type.TOOL_CALL, 10, 0);
			assertThat(audited).extracting(AuditQuery.Row::tool).containsExactly("echo");
			LocalDate today = this.usage.today();
			List<UsageService.Row> used = this.usage.usage(owner, today.minusDays(1), today.plusDays(1));
			assertThat(used).singleElement().satisfies((row) -> {
				assertThat(row.tool()).isEqualTo("echo");
				assertThat(row.calls()).isEqualTo(1);
			});

			// Key rotation's native queries and the health query.
			assertThat(this.keyRotation.ciphertextsPerKey()).containsOnlyKeys("k1").allSatisfy(
					(key, count) -> assertThat(count).isGreaterThanOrEqualTo(2));
			assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(this.health.health().getDetails()).containsEntry(ConnectionStatus.ACTIVE.name(), 1L);

			// The connection check claims the idle connection through the repository.
			this.executor.close(owner, id);
			List<ConnectionCheck> checks = TestJobs.runConnectionCheck(this.connectionCheck);
			assertThat(checks).singleElement().satisfies((check) -> {
				assertThat(check.connectionId()).isEqualTo(id);
				assertThat(check.reachable()).isTrue();
			});
			assertThat(this.jdbc.queryForObject("select count(*) from " + SCHEMA + ".mcp_connection where id = ?"
					+ " and checked_at is not null", Integer.class, id)).isEqualTo(1);
			assertThat(this.connections.get(owner, id).status()).isEqualTo(ConnectionStatus.ACTIVE);

			// A second connect leaves a pending authorization for retention to expire.
			connect(peer, alice);
			assertThat(rows("mcp_pending_authorization")).isEqualTo(1);
			long auditRows = rows("mcp_audit_event");
			assertThat(auditRows).isPositive();
			clock.advance(Duration.ofDays(2));
			Map<String, Long> deleted = TestJobs.runRetention(this.retention);
			assertThat(deleted).containsEntry(TestJobs.AUDIT_EVENTS, auditRows)
				.containsEntry(TestJobs.PENDING_AUTHORIZATIONS, 1L);
			assertThat(deleted.values()).allSatisfy((count) -> assertThat(count).isNotNegative());
			assertThat(rows("mcp_audit_event")).isZero();
			assertThat(rows("mcp_pending_authorization")).isZero();
		}

		List<String> inSchema = this.jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = ?", String.class, SCHEMA);
		assertThat(inSchema).containsAll(McpConnectorTables.names()).contains("mcp_connector_schema_history");
		List<String> elsewhere = this.jdbc.queryForList("select table_schema || '.' || table_name"
				+ " from information_schema.tables where table_name like 'mcp\\_%' and table_schema <> ?", String.class,
				SCHEMA);
		assertThat(elsewhere).isEmpty();
		assertThat(this.jdbc.queryForList("select table_name from information_schema.tables where table_schema"
				+ " = 'public'", String.class)).doesNotContainAnyElementsOf(McpConnectorTables.names());
		System.out.printf("[Schema] mcp.connector.schema.name=%s: %d connector tables in it, none elsewhere;"
				+ " connect, callback, tool call, audit, usage, check and retention all ran there%n", SCHEMA,
				McpConnectorTables.names().size());
	}

	private JsonNode connect(TestOAuthPeer peer, String user) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"%s\"}".formatted(peer.mcpUrl())))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
			.andReturn();
		return json.readTree(result.getResponse().getContentAsString());
	}

	/** Rows of one of our tables, read from the configured schema by its qualified name. */
	private long rows(String table) {
		return this.jdbc.queryForObject("select count(*) from " + SCHEMA + "." + table, Long.class);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		TestClock testClock() {
			return clock;
		}

	}

}
