package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

/**
 * Context runners for the auto-configuration tests: one PostgreSQL database per test JVM,
 * the JDBC, JPA and transaction auto-configurations, and a fresh encryption key.
 */
public final class TestContextRunners {

	private static TestDatabase database;

	private static String key;

	private TestContextRunners() {
	}

	public static synchronized TestDatabase database() {
		if (database == null) {
			database = TestPostgres.newDatabase();
			key = TestKeys.newBase64Key();
		}
		return database;
	}

	public static String key() {
		database();
		return key;
	}

	/** The database and JPA, no mcp-connector auto-configuration and no key. */
	public static ApplicationContextRunner jpa() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class))
			.withPropertyValues(database().springProperties());
	}

	/** The core and governance auto-configurations on the database, with a key. */
	public static ApplicationContextRunner connector() {
		return jpa()
			.withConfiguration(AutoConfigurations.of(McpConnectorAutoConfiguration.class,
					McpConnectorGovernanceAutoConfiguration.class))
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + key());
	}

	/** {@link #connector()} in a servlet web application with Spring MVC. */
	public static WebApplicationContextRunner web() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
					WebMvcAutoConfiguration.class, McpConnectorAutoConfiguration.class,
					McpConnectorGovernanceAutoConfiguration.class))
			.withPropertyValues(database().springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + key());
	}

}
