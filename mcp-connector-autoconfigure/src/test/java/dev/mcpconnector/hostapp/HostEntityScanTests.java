package dev.mcpconnector.hostapp;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.autoconfigure.McpConnectorAutoConfiguration;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host that declares its own {@code @EntityScan} and {@code @EnableJpaRepositories} keeps
 * them; mcp-connector's entities are added, not substituted, and {@code mcp.connector.schema.name}
 * moves only mcp-connector's entities.
 */
class HostEntityScanTests {

	private static TestDatabase database;

	@BeforeAll
	static void database() {
		database = TestPostgres.newDatabase();
	}

	@Test
	void entityScanWhenHostDeclaresItThenBothEntitySetsAreManaged() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
					McpConnectorAutoConfiguration.class))
			.withUserConfiguration(ExplicitScanConfiguration.class)
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(NoteRepository.class);
				var metamodel = context.getBean(EntityManagerFactory.class).getMetamodel();
				assertThat(metamodel.getEntities()).extracting(jakarta.persistence.metamodel.EntityType::getName)
					.contains("Note", "McpConnectorConnection", "McpConnectorCredentials",
							"McpConnectorClientRegistration", "McpConnectorPendingAuthorization");
				NoteRepository notes = context.getBean(NoteRepository.class);
				notes.save(new Note("explicit scan"));
				assertThat(notes.findByText("explicit scan")).hasSize(1);
			});
	}

	@Test
	void schemaNameWhenSetThenOnlyConnectorEntitiesMoveAndHostEntitiesStay() {
		TestDatabase own = TestPostgres.newDatabase();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
					McpConnectorAutoConfiguration.class))
			.withUserConfiguration(ExplicitScanConfiguration.class)
			.withPropertyValues(own.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
					"mcp.connector.schema.name=mcp_host_x")
			.run((context) -> {
				// ddl-auto=validate: both entity sets were found where they are mapped.
				assertThat(context).hasNotFailed();
				NoteRepository notes = context.getBean(NoteRepository.class);
				notes.save(new Note("stays in public"));
				assertThat(notes.findByText("stays in public")).hasSize(1);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForList("select table_schema from information_schema.tables"
						+ " where table_name = 'notes'", String.class)).containsExactly("public");
				assertThat(jdbc.queryForList("select distinct table_schema from information_schema.tables"
						+ " where table_name in ('mcp_connection', 'mcp_connection_credentials',"
						+ " 'mcp_client_registration', 'mcp_pending_authorization', 'mcp_approval')", String.class))
					.containsExactly("mcp_host_x");
			});
	}

	@Test
	void namingStrategyWhenReplacedAfterOursThenStartupFailsSayingWhy() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
					McpConnectorAutoConfiguration.class, LateNamingStrategyAutoConfiguration.class))
			.withUserConfiguration(ExplicitScanConfiguration.class)
			.withPropertyValues(database.springProperties())
			// no schema validation, as in most hosts: nothing else would notice before the first statement
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
					"spring.jpa.hibernate.ddl-auto=none")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("placeholder schema 'mcp_connector_entity_schema'")
					.hasMessageContaining("ConnectionEntity -> mcp_connector_entity_schema.mcp_connection")
					.hasMessageContaining("McpConnectorTables.applyTo");
			});
	}

	@Test
	void namingStrategyWhenSetByAHostCustomizerThenOursWrapsIt() {
		TestDatabase own = TestPostgres.newDatabase();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
					McpConnectorAutoConfiguration.class))
			.withUserConfiguration(ExplicitScanConfiguration.class, HostNamingStrategyConfiguration.class)
			.withPropertyValues(own.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
					"mcp.connector.schema.name=mcp_host_y")
			.run((context) -> {
				// ddl-auto=validate: our entities in our schema, the host's where its strategy put them
				assertThat(context).hasNotFailed();
				NoteRepository notes = context.getBean(NoteRepository.class);
				notes.save(new Note("named by the host"));
				assertThat(notes.findByText("named by the host")).hasSize(1);
			});
	}

	@Test
	void entityManagerFactoryWhenBuiltByTheHostWithoutApplyToThenStartupFailsSayingWhy() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withUserConfiguration(HostEntityManagerFactoryConfiguration.class)
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key())
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("placeholder schema 'mcp_connector_entity_schema'")
					.hasMessageContaining("McpConnectorTables.applyTo");
			});
	}

	@Test
	void entityManagerFactoryWhenBuiltByTheHostWithApplyToThenEntitiesAreInTheirSchema() {
		TestDatabase own = TestPostgres.newDatabase();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withUserConfiguration(HostEntityManagerFactoryConfiguration.class)
			.withPropertyValues(own.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
					"mcp.connector.schema.name=mcp_host_z", "host.apply-mcp-connector-schema=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/** A host that builds its own entity manager factory over its entities and ours. */
	@Configuration(proxyBeanMethods = false)
	static class HostEntityManagerFactoryConfiguration {

		@Bean
		LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource,
				McpConnectorTables tables, org.springframework.core.env.Environment environment) {
			LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
			factory.setDataSource(dataSource);
			factory.setPackagesToScan(Note.class.getPackageName(), McpConnectorTables.class.getPackageName());
			factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
			// validate when our tables are where the host says: proves the mapping, not just the start
			factory.getJpaPropertyMap().put("hibernate.hbm2ddl.auto", "validate");
			if (environment.getProperty("host.apply-mcp-connector-schema", Boolean.class, false)) {
				tables.applyTo(factory.getJpaPropertyMap());
			}
			else {
				factory.getJpaPropertyMap().put("hibernate.hbm2ddl.auto", "none");
			}
			return factory;
		}

	}

	/** A host auto-configuration, after ours, whose customizer replaces the naming strategy. */
	@AutoConfiguration(after = McpConnectorAutoConfiguration.class)
	static class LateNamingStrategyAutoConfiguration {

		@Bean
		HibernatePropertiesCustomizer hostNamingStrategy() {
			return (properties) -> properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY,
					PhysicalNamingStrategyStandardImpl.INSTANCE);
		}

	}

	/** A host that names its naming strategy by class name in a customizer of its own. */
	@Configuration(proxyBeanMethods = false)
	static class HostNamingStrategyConfiguration {

		@Bean
		HibernatePropertiesCustomizer hostNamingStrategy() {
			return (properties) -> properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY,
					"org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Note.class)
	@EnableJpaRepositories(basePackageClasses = NoteRepository.class)
	static class ExplicitScanConfiguration {

	}

}
