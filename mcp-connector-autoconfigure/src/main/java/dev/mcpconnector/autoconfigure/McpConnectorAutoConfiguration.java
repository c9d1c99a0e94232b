package dev.mcpconnector.autoconfigure;

import java.time.Clock;
import java.util.List;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.audit.AuditEventListener;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.audit.JdbcAuditLog;
import dev.mcpconnector.retention.RetentionJob;
import dev.mcpconnector.retention.RetentionTask;
import dev.mcpconnector.usage.UsageService;
import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.JpaApprovalStore;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.ratelimit.RateLimitInterceptor;

import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import dev.mcpconnector.authorization.IdTokenVerifier;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.discovery.McpServerProbe;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.PreRegisteredClients;
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
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.jpa.PostgresAdvisoryRefreshLock;
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
	@ConditionalOnMissingBean(SecretCipher.class)
	AesGcmSecretCipher mcpConnectorSecretCipher(McpConnectorProperties properties) {
		EncryptionProperties encryption = properties.getEncryption();
		return new AesGcmSecretCipher(EncryptionKeyRing.fromBase64(encryption.getKeys(), encryption.getActiveKeyId()));
	}

	/** Re-encryption under the active key (for the default cipher, whose format records key ids). */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ AesGcmSecretCipher.class, EntityManagerFactory.class, PlatformTransactionManager.class })
	JpaKeyRotation mcpConnectorKeyRotation(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, AesGcmSecretCipher cipher, McpConnectorTables tables) {
		return new JpaKeyRotation(entityManagerFactory, transactionManager, cipher, cipher.activeKeyId(), tables);
	}

	/** Where mcp-connector's tables are, for JPA and JDBC alike ({@code mcp.connector.schema.name}). */
	@Bean
	@ConditionalOnMissingBean
	McpConnectorTables mcpConnectorTables(McpConnectorProperties properties) {
		return McpConnectorTables.inSchema(properties.getSchema().getName());
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
				properties.getRegistration().getClientName(), clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	IdTokenVerifier mcpConnectorIdTokenVerifier(EgressHttpClient http, McpConnectorProperties properties) {
		return new IdTokenVerifier(http, properties.getAuthorization().getIdTokenClockSkew());
	}

	@Bean
	@ConditionalOnMissingBean
	McpServerProbe mcpConnectorServerProbe(EgressHttpClient http, McpConnectorProperties properties) {
		return new McpServerProbe(http, properties.getClient().getName(), properties.getClient().getVersion());
	}

	@Bean
	@ConditionalOnMissingBean
	McpAuthorizationService mcpAuthorizationService(McpConnectionService connections,
			PendingAuthorizationStore pending, MetadataDiscovery discovery, ClientRegistrationResolver registrations,
			EgressHttpClient http, McpServerProbe probe, EgressPolicy policy, McpConnectorProperties properties,
			ObjectProvider<Clock> clock, ObjectProvider<RefreshLock> refreshLock, ObjectProvider<AuditLog> audit,
			ObjectProvider<AuditEventListener> listeners, ObjectProvider<IdTokenVerifier> idTokens) {
		AuthorizationProperties authorization = properties.getAuthorization();
		return McpAuthorizationService.builder()
			.connections(connections)
			.pendingAuthorizations(pending)
			.discovery(discovery)
			.registrations(registrations)
			.http(http)
			.probe(probe)
			.egressPolicy(policy)
			.stateLifetime(authorization.getStateLifetime())
			.refreshSkew(authorization.getRefreshSkew())
			.clock(clock.getIfUnique(Clock::systemUTC))
			.refreshLock(refreshLock.getIfAvailable(RefreshLock::local))
			.idTokenVerifier(authorization.isOpenIdConnect() ? idTokens.getIfAvailable() : null)
			.auditLog(AuditEventListener.fanOut(audit.getIfAvailable(AuditLog::none), listeners.orderedStream().toList()))
			.build();
	}

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

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorToolPolicyInterceptor")
	ToolCallInterceptor mcpConnectorToolPolicyInterceptor(ToolPolicy toolPolicy) {
		return ToolCallInterceptor.policy(toolPolicy);
	}

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorApprovalInterceptor")
	@ConditionalOnBean(ApprovalService.class)
	ToolCallInterceptor mcpConnectorApprovalInterceptor(ApprovalService approvals) {
		return ToolCallInterceptor.approval(approvals);
	}

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorAuditInterceptor")
	ToolCallInterceptor mcpConnectorAuditInterceptor(ObjectProvider<AuditLog> audit,
			ObjectProvider<AuditEventListener> listeners, ObjectProvider<Clock> clock) {
		return ToolCallInterceptor.audit(
				AuditEventListener.fanOut(audit.getIfAvailable(AuditLog::none), listeners.orderedStream().toList()),
				clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	ToolPolicy mcpConnectorToolPolicy(McpConnectorProperties properties) {
		return new GovernancePropertiesMapper(properties.getGovernance()).asToolPolicy();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EntityManagerFactory.class, PlatformTransactionManager.class })
	static class JpaStorageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		McpConnectionRepository mcpConnectionRepository(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, SecretCipher cipher, ObjectProvider<Clock> clock,
				McpConnectorTables tables) {
			return new JpaMcpConnectionRepository(entityManagerFactory, transactionManager, cipher,
					clock.getIfUnique(Clock::systemUTC), tables);
		}

		/** Refreshes of one connection happen one at a time across every instance sharing the database. */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(DataSource.class)
		RefreshLock mcpConnectorRefreshLock(DataSource dataSource) {
			return new PostgresAdvisoryRefreshLock(dataSource);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(DataSource.class)
		RateLimitInterceptor mcpConnectorRateLimitInterceptor(McpConnectorProperties properties, DataSource dataSource) {
			return new RateLimitInterceptor(new GovernancePropertiesMapper(properties.getGovernance()).asRateLimits(), dataSource,
					properties.getSchema().getName());
		}

		@Bean
		@ConditionalOnMissingBean
		ApprovalStore mcpConnectorApprovalStore(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager) {
			return new JpaApprovalStore(entityManagerFactory, transactionManager);
		}

		@Bean
		@ConditionalOnMissingBean
		ApprovalService mcpConnectorApprovalService(ApprovalStore store, ObjectProvider<AuditLog> audit,
				ObjectProvider<AuditEventListener> listeners, McpConnectorProperties properties,
				ObjectProvider<Clock> clock) {
			GovernanceProperties.Approval approval = properties.getGovernance().getApproval();
			return new ApprovalService(store,
					AuditEventListener.fanOut(audit.getIfAvailable(AuditLog::none), listeners.orderedStream().toList()),
					approval.getLifetime(),
					approval.getMaxWait(), clock.getIfUnique(Clock::systemUTC));
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
	@ConditionalOnBean(DataSource.class)
	static class AuditConfiguration {

		@Bean
		@ConditionalOnMissingBean(AuditLog.class)
		@ConditionalOnBooleanProperty(name = "mcp.connector.audit.enabled", matchIfMissing = true)
		JdbcAuditLog mcpConnectorAuditLog(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties) {
			AuditProperties audit = properties.getAudit();
			return new JdbcAuditLog(dataSource, tables, audit.getQueueCapacity(), audit.getBatchSize(),
					audit.getMaxDelay(),
					audit.getShutdownTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		AuditQuery mcpConnectorAuditQuery(DataSource dataSource, McpConnectorTables tables) {
			return new AuditQuery(dataSource, tables);
		}

		@Bean
		@ConditionalOnMissingBean
		UsageService mcpConnectorUsageService(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			return new UsageService(dataSource, tables, properties.getUsage().getTimeZone(),
					clock.getIfUnique(Clock::systemUTC));
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "mcp.connector.retention.enabled", matchIfMissing = true)
		RetentionJob mcpConnectorRetentionJob(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties,
				ObjectProvider<Clock> clock, ObjectProvider<RetentionTask> tasks,
				ObjectProvider<ApprovalService> approvals, ObjectProvider<RateLimitInterceptor> rateLimits) {
			RetentionProperties retention = properties.getRetention();
			List<RetentionTask> all = new java.util.ArrayList<>(tasks.orderedStream().toList());
			approvals.ifAvailable((service) -> all.add(RetentionTask.of("approvals", (now) -> service.expire())));
			rateLimits.ifAvailable((limits) -> all.add(RetentionTask.of("rate-limit-buckets",
					(now) -> limits.removeExpiredBuckets())));
			return new RetentionJob(dataSource, tables, retention.getAudit(), retention.getInterval(),
					retention.getBatchSize(), clock.getIfUnique(Clock::systemUTC), all);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "mcp.connector.connection-check.enabled")
		dev.mcpconnector.health.ConnectionCheckJob mcpConnectorConnectionCheckJob(McpConnectionRepository repository,
				McpToolExecutor executor, McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			McpConnectorProperties.ConnectionCheck check = properties.getConnectionCheck();
			return new dev.mcpconnector.health.ConnectionCheckJob(repository, executor, check.getInterval(),
					check.getBatchSize(), clock.getIfUnique(Clock::systemUTC));
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
				McpConnectorProperties properties, McpConnectorTables tables) {
			return new McpConnectorSchemaMigrator(dataSource, properties.getSchema().getHistoryTable(),
					tables.schema());
		}

		/** Our tables must exist before Hibernate validates or uses them. */
		@Bean
		static EntityManagerFactoryDependsOnPostProcessor mcpConnectorEntityManagerFactoryDependsOnMigrator() {
			return new EntityManagerFactoryDependsOnPostProcessor(McpConnectorSchemaMigrator.class);
		}

	}

}
