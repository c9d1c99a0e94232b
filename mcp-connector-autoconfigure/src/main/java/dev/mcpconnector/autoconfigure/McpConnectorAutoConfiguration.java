package dev.mcpconnector.autoconfigure;

import java.time.Clock;

import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.connection.PrincipalNameOwnerResolver;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.crypto.EncryptionKeyRing;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.jpa.JpaClientRegistrationStore;
import dev.mcpconnector.jpa.JpaMcpConnectionRepository;
import dev.mcpconnector.jpa.JpaPendingAuthorizationStore;
import dev.mcpconnector.jpa.McpConnectorEntityScanRegistrar;
import dev.mcpconnector.jpa.McpConnectorSchemaMigrator;
import dev.mcpconnector.registration.ClientRegistrationStore;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of mcp-connector's core: secret encryption, owner resolution, storage of
 * connections, client registrations and pending authorizations on the application's JPA
 * {@link EntityManagerFactory}, and mcp-connector's own schema migrations. Every bean backs off
 * when the application defines its own.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
		HibernateJpaAutoConfiguration.class })
@ConditionalOnClass({ Authentication.class, EntityManagerFactory.class })
@EnableConfigurationProperties(McpConnectorProperties.class)
@Import(McpConnectorEntityScanRegistrar.class)
public final class McpConnectorAutoConfiguration {

	/** Name of the bean that runs mcp-connector's migrations. */
	public static final String SCHEMA_MIGRATOR_BEAN = "mcpConnectorSchemaMigrator";

	@Bean
	@ConditionalOnMissingBean
	SecretCipher mcpConnectorSecretCipher(McpConnectorProperties properties) {
		McpConnectorProperties.Encryption encryption = properties.getEncryption();
		return new AesGcmSecretCipher(EncryptionKeyRing.fromBase64(encryption.getKeys(), encryption.getActiveKeyId()));
	}

	@Bean
	@ConditionalOnMissingBean
	OwnerResolver mcpConnectorOwnerResolver(McpConnectorProperties properties) {
		return new PrincipalNameOwnerResolver(properties.getOwner().getTenantId());
	}

	@Bean
	@ConditionalOnMissingBean
	McpConnectionService mcpConnectionService(McpConnectionRepository repository, ObjectProvider<Clock> clock) {
		return new McpConnectionService(repository, clock.getIfUnique(Clock::systemUTC));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EntityManagerFactory.class, PlatformTransactionManager.class })
	static class JpaStorageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		McpConnectionRepository mcpConnectionRepository(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, SecretCipher cipher, ObjectProvider<Clock> clock) {
			return new JpaMcpConnectionRepository(entityManagerFactory, transactionManager, cipher,
					clock.getIfUnique(Clock::systemUTC));
		}

		@Bean
		@ConditionalOnMissingBean
		ClientRegistrationStore mcpClientRegistrationStore(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, SecretCipher cipher) {
			return new JpaClientRegistrationStore(entityManagerFactory, transactionManager, cipher);
		}

		@Bean
		@ConditionalOnMissingBean
		PendingAuthorizationStore mcpPendingAuthorizationStore(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, SecretCipher cipher) {
			return new JpaPendingAuthorizationStore(entityManagerFactory, transactionManager, cipher);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "mcp.connector.schema.migrate", matchIfMissing = true)
	static class SchemaMigrationConfiguration {

		@Bean(SCHEMA_MIGRATOR_BEAN)
		@ConditionalOnMissingBean
		McpConnectorSchemaMigrator mcpConnectorSchemaMigrator(DataSource dataSource,
				McpConnectorProperties properties) {
			McpConnectorProperties.Schema schema = properties.getSchema();
			return new McpConnectorSchemaMigrator(dataSource, schema.getHistoryTable(), schema.getName());
		}

		/** Our tables must exist before Hibernate validates or uses them. */
		@Bean
		static EntityManagerFactoryDependsOnPostProcessor mcpConnectorEntityManagerFactoryDependsOnMigrator() {
			return new EntityManagerFactoryDependsOnPostProcessor(McpConnectorSchemaMigrator.class);
		}

	}

}
