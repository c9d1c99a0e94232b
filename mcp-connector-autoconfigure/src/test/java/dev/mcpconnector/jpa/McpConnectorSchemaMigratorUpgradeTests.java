package dev.mcpconnector.jpa;

import java.util.List;

import javax.sql.DataSource;

import dev.mcpconnector.test.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database migrated by the earlier layout ({@code classpath:db/migration/mcpconnector},
 * files {@code MCP<n>__…}, copied verbatim into {@code legacy-migration-layout/} of the test
 * resources) keeps working with the current one ({@code META-INF/mcp-connector/migration},
 * {@code V<n>__…}): what it applied counts as applied, validation on migrate passes, and only the
 * versions it lacked run.
 */
class McpConnectorSchemaMigratorUpgradeTests {

	private static final String HISTORY = "mcp_connector_schema_history";

	@Test
	void migrateWhenHistoryWrittenByOldLayoutThenNothingRunsAgainAndValidationPasses() {
		DataSource dataSource = TestPostgres.newDatabase().dataSource();
		int appliedByOldLayout = oldLayout(dataSource, null).migrate().migrationsExecuted;

		int applied = new McpConnectorSchemaMigrator(dataSource, HISTORY, null).migrate();

		// The old layout stopped at MCP10; only what came after it (V11 on) runs, once.
		assertThat(appliedByOldLayout).isEqualTo(10);
		assertThat(applied).isEqualTo(currentVersions(dataSource).size() - appliedByOldLayout);
		assertThat(new JdbcTemplate(dataSource).queryForList("select script from " + HISTORY
				+ " where type = 'SQL' and script not like 'MCP%' order by installed_rank", String.class))
			.allMatch((script) -> Integer.parseInt(script.substring(1, script.indexOf("__"))) > 10);
		currentLayout(dataSource).validate();
		assertThat(currentLayout(dataSource).info().all()).extracting(MigrationInfo::getState)
			.containsOnly(MigrationState.SUCCESS);
	}

	@Test
	void migrateWhenOldLayoutStoppedHalfwayThenRunsOnlyTheMissingVersions() {
		DataSource dataSource = TestPostgres.newDatabase().dataSource();
		oldLayout(dataSource, "8").migrate();

		int applied = new McpConnectorSchemaMigrator(dataSource, HISTORY, null).migrate();

		assertThat(applied).isEqualTo(currentVersions(dataSource).size() - 8);
		List<String> scripts = new JdbcTemplate(dataSource).queryForList(
				"select script from " + HISTORY + " where type = 'SQL' order by installed_rank", String.class);
		assertThat(scripts).startsWith("MCP1__foundation.sql").contains("MCP8__remote_identity.sql")
			.contains("V9__transport_and_checks.sql");
		currentLayout(dataSource).validate();
	}

	/**
	 * A V10 database with stored credentials: V11 adds their client id, null for the rows it
	 * finds (the issuer's current client, as before), and leaves the tokens as they were.
	 */
	@Test
	void migrateWhenAV10DatabaseHoldsCredentialsThenTheyKeepTheirTokensWithNoClientId() {
		DataSource dataSource = TestPostgres.newDatabase().dataSource();
		Flyway.configure(McpConnectorSchemaMigratorUpgradeTests.class.getClassLoader())
			.dataSource(dataSource)
			.locations(McpConnectorSchemaMigrator.LOCATION)
			.table(HISTORY)
			.target("10")
			.load()
			.migrate();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		java.util.UUID id = java.util.UUID.randomUUID();
		jdbc.update("insert into mcp_connection (id, tenant_id, owner_id, name, server_url, resource_uri, status, issuer,"
				+ " created_at, updated_at, version) values (?, 't', 'alice', 'n', 'https://mcp.example.com/mcp',"
				+ " 'https://mcp.example.com/mcp', 'ACTIVE', 'https://as.example.com', now(), now(), 0)", id);
		jdbc.update("insert into mcp_client_registration (issuer, client_id, auth_method, source, created_at)"
				+ " values ('https://as.example.com', 'registered-client', 'none', 'DYNAMIC', now())");
		jdbc.update("insert into mcp_connection_credentials (connection_id, access_token, refresh_token, token_type,"
				+ " updated_at) values (?, ?, ?, 'Bearer', now())", id, new byte[] { 1, 2, 3 }, new byte[] { 4, 5 });

		int applied = new McpConnectorSchemaMigrator(dataSource, HISTORY, null).migrate();

		assertThat(applied).isEqualTo(currentVersions(dataSource).size() - 10);
		assertThat(jdbc.queryForMap("select access_token, refresh_token, client_id from mcp_connection_credentials"
				+ " where connection_id = ?", id)).containsEntry("client_id", null)
			.satisfies((row) -> assertThat((byte[]) row.get("access_token")).containsExactly(1, 2, 3))
			.satisfies((row) -> assertThat((byte[]) row.get("refresh_token")).containsExactly(4, 5));
		jdbc.update("update mcp_connection_credentials set client_id = 'registered-client' where connection_id = ?", id);
		currentLayout(dataSource).validate();
	}

	/** Exactly what {@link McpConnectorSchemaMigrator} configured before the move. */
	private static Flyway oldLayout(DataSource dataSource, String target) {
		var configuration = Flyway.configure(McpConnectorSchemaMigratorUpgradeTests.class.getClassLoader())
			.dataSource(dataSource)
			.locations("classpath:legacy-migration-layout/db/migration/mcpconnector")
			.sqlMigrationPrefix("MCP")
			.table(HISTORY)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.validateMigrationNaming(true);
		if (target != null) {
			configuration.target(target);
		}
		return configuration.load();
	}

	private static Flyway currentLayout(DataSource dataSource) {
		return Flyway.configure(McpConnectorSchemaMigratorUpgradeTests.class.getClassLoader())
			.dataSource(dataSource)
			.locations(McpConnectorSchemaMigrator.LOCATION)
			.table(HISTORY)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.validateMigrationNaming(true)
			.load();
	}

	private static List<MigrationInfo> currentVersions(DataSource dataSource) {
		return List.of(currentLayout(dataSource).info().all())
			.stream()
			.filter((info) -> info.getType().isSynthetic() == false)
			.toList();
	}

}
