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

		assertThat(appliedByOldLayout).isEqualTo(currentVersions(dataSource).size());
		assertThat(applied).isZero();
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
