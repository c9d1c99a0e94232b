package dev.mcpconnector.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.scheduling.McpConnectorJobs;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The configurations that {@link McpConnectorAutoConfiguration} imports, one per concern, in
 * the order their conditions need.
 */
final class McpConnectorConfigurations {

	private McpConnectorConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	static class EncryptionConfiguration {

		@Bean
		@ConditionalOnMissingBean(SecretCipher.class)
		AesGcmSecretCipher mcpConnectorSecretCipher(McpConnectorProperties properties) {
			EncryptionProperties encryption = properties.getEncryption();
			return AesGcmSecretCipher.fromBase64(encryption.getKeys(), encryption.getActiveKeyId());
		}

		/** Re-encryption under the active key (for the default cipher, whose format records key ids). */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ AesGcmSecretCipher.class, EntityManagerFactory.class, PlatformTransactionManager.class })
		JpaKeyRotation mcpConnectorKeyRotation(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, AesGcmSecretCipher cipher, McpConnectorTables tables) {
			return new JpaKeyRotation(entityManagerFactory, transactionManager, cipher, cipher.activeKeyId(), tables);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TablesConfiguration {

		/** Where mcp-connector's tables are, for JPA and JDBC alike ({@code mcp.connector.schema.name}). */
		@Bean
		@ConditionalOnMissingBean
		McpConnectorTables mcpConnectorTables(McpConnectorProperties properties) {
			return McpConnectorTables.inSchema(properties.getSchema().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OwnerResolver mcpConnectorOwnerResolver(McpConnectorProperties properties) {
			return OwnerResolver.principalName(properties.getOwner().getTenantId());
		}

		@Bean
		@ConditionalOnMissingBean
		McpConnectionService mcpConnectionService(McpConnectionRepository repository, ObjectProvider<Clock> clock,
				McpConnectorProperties properties) {
			McpConnectionService service = new McpConnectionService(repository, clock.getIfUnique(Clock::systemUTC));
			service.setMaxConnectionsPerOwner(properties.getClient().getMaxConnectionsPerOwner());
			return service;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EgressConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EgressPolicy mcpConnectorEgressPolicy(McpConnectorProperties properties) {
			return new EgressPropertiesMapper(properties.getEgress()).asEgressPolicy();
		}

		@Bean
		@ConditionalOnMissingBean
		EgressHttpClient mcpConnectorEgressHttpClient(EgressPolicy policy, McpConnectorProperties properties) {
			return new EgressPropertiesMapper(properties.getEgress()).asEgressHttpClient(policy);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AuthorizationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MetadataDiscovery mcpConnectorMetadataDiscovery(EgressHttpClient http, McpConnectorProperties properties) {
			return new MetadataDiscovery(http, properties.getAuthorization().getIssuersWithoutPkceMetadata());
		}

		@Bean
		@ConditionalOnMissingBean
		PreRegisteredClients mcpConnectorPreRegisteredClients(McpConnectorProperties properties) {
			return new RegistrationPropertiesMapper(properties.getRegistration()).asPreRegisteredClients();
		}

		@Bean
		@ConditionalOnMissingBean
		ClientRegistrationResolver mcpConnectorClientRegistrationResolver(EgressHttpClient http,
				ClientRegistrationStore store, PreRegisteredClients preRegistered, McpConnectorProperties properties,
				ObjectProvider<Clock> clock) {
			return new ClientRegistrationResolver(http, store, preRegistered,
					properties.getRegistration().getClientMetadataDocumentUrl(),
					properties.getRegistration().getClientName(),
					new RegistrationPropertiesMapper(properties.getRegistration()).asApplicationTypes(),
					clock.getIfUnique(Clock::systemUTC));
		}

		@Bean
		@ConditionalOnMissingBean
		McpAuthorizationService mcpAuthorizationService(McpConnectionService connections,
				PendingAuthorizationStore pending, MetadataDiscovery discovery,
				ClientRegistrationResolver registrations, EgressHttpClient http, EgressPolicy policy,
				McpConnectorProperties properties, ObjectProvider<Clock> clock, ObjectProvider<RefreshLock> refreshLock,
				ObjectProvider<AuditLog> audit) {
			AuthorizationProperties authorization = properties.getAuthorization();
			return McpAuthorizationService.builder()
				.connections(connections)
				.pendingAuthorizations(pending)
				.discovery(discovery)
				.registrations(registrations)
				.http(http)
				.clientInfo(properties.getClient().getName(), properties.getClient().getVersion())
				.egressPolicy(policy)
				.stateLifetime(authorization.getStateLifetime())
				.refreshSkew(authorization.getRefreshSkew())
				.dpopDisabledIssuers(authorization.getDpopDisabledIssuers())
				.clock(clock.getIfUnique(Clock::systemUTC))
				.refreshLock(refreshLock.getIfAvailable(RefreshLock::local))
				.openIdConnect(authorization.isOpenIdConnect() ? authorization.getIdTokenClockSkew() : null)
				.auditLog(audit.getIfAvailable(AuditLog::none))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutionConfiguration {

		/**
		 * The executor. Every {@link ToolCallInterceptor} bean joins its pipeline, in order:
		 * policy, approval and audit come from the governance auto-configuration, metrics from
		 * the observability one, and the application may add its own.
		 */
		@Bean
		@ConditionalOnMissingBean
		McpToolExecutor mcpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
				EgressHttpClient http, McpConnectorProperties properties, OwnerResolver ownerResolver,
				ObjectProvider<ToolCallInterceptor> interceptors) {
			return McpToolExecutor
				.builder(connections, authorization, http,
						new ClientPropertiesMapper(properties.getClient()).asMcpClientSettings())
				.ownerResolver(ownerResolver)
				.interceptors(interceptors.orderedStream().toList())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "mcp.connector.connection-check.enabled")
	static class ConnectionCheckConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorConnectionCheckJob")
		SmartLifecycle mcpConnectorConnectionCheckJob(McpConnectionRepository repository,
				McpToolExecutor executor, McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			McpConnectorProperties.ConnectionCheck check = properties.getConnectionCheck();
			return McpConnectorJobs.connectionCheck(repository, executor, check.getInterval(), check.getBatchSize(),
					clock.getIfUnique(Clock::systemUTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "mcp.connector.schema.migrate", matchIfMissing = true)
	static class SchemaMigrationConfiguration {

		@Bean(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN)
		@ConditionalOnMissingBean(name = McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN)
		InitializingBean mcpConnectorSchemaMigrator(DataSource dataSource, McpConnectorProperties properties,
				McpConnectorTables tables) {
			return tables.migrator(dataSource, properties.getSchema().getHistoryTable());
		}

		/** Our tables must exist before Hibernate validates or uses them. */
		@Bean
		static EntityManagerFactoryDependsOnPostProcessor mcpConnectorEntityManagerFactoryDependsOnMigrator() {
			return new EntityManagerFactoryDependsOnPostProcessor(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN);
		}

	}

}
