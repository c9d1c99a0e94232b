package dev.mcpconnector.jpa;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Runs mcp-connector's own Flyway migrations, from their own location and into their own
 * history table, next to whatever the host application migrates. They live under
 * {@value #LOCATION}, which no default Flyway scans (a host's {@code classpath:db/migration}
 * does not reach it), and carry Flyway's standard names ({@code V<n>__<description>.sql}), so a
 * host Flyway with {@code validate-migration-naming} that scans more of the class path still
 * accepts them. Earlier builds had them in {@code classpath:db/migration/mcpconnector/MCP<n>__…}:
 * version, description and content are unchanged, and Flyway validates those (not the file
 * name), so a history written by the old layout stays valid. Runs once, when the bean is
 * initialized, before the entity manager factory.
 */
class McpConnectorSchemaMigrator implements InitializingBean {

	/** Where the migrations live. */
	static final String LOCATION = "classpath:META-INF/mcp-connector/migration";

	private static final Logger logger = LoggerFactory.getLogger(McpConnectorSchemaMigrator.class);

	private final DataSource dataSource;

	private final String table;

	private final String schema;

	McpConnectorSchemaMigrator(DataSource dataSource, String table, String schema) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.hasText(table, "table cannot be empty");
		this.dataSource = dataSource;
		this.table = table;
		this.schema = schema;
	}

	@Override
	public void afterPropertiesSet() {
		migrate();
	}

	/**
	 * Apply pending migrations.
	 * @return the number of migrations applied
	 */
	int migrate() {
		FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(LOCATION)
			.table(this.table)
			// The schema usually already holds the host's tables: start our own history at 0.
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.validateMigrationNaming(true);
		if (StringUtils.hasText(this.schema)) {
			configuration.schemas(this.schema).defaultSchema(this.schema);
		}
		int applied = configuration.load().migrate().migrationsExecuted;
		logger.info("mcp-connector schema: {} migration(s) applied (history table '{}')", applied, this.table);
		return applied;
	}

}
