package dev.mcpconnector.jpa;

import java.time.Clock;

import javax.sql.DataSource;

import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.registration.ClientRegistrationStore;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Storage on the application's JPA {@link EntityManagerFactory}: registers this package's
 * entities with the host's entity scan and defines the JPA implementations of the storage
 * SPIs ({@link McpConnectionRepository}, {@link ClientRegistrationStore},
 * {@link PendingAuthorizationStore}, {@link ApprovalStore}) and the PostgreSQL
 * {@link RefreshLock}. Each bean backs off when the application defines its own of the SPI
 * type. Imported by the auto-configuration; the implementations themselves are internal.
 */
@Configuration(proxyBeanMethods = false)
@Import(McpConnectorEntityScanRegistrar.class)
public class McpConnectorJpaConfiguration {

	/** Bound and validated with the other authorization properties; read here by name. */
	private static final String REFRESH_LOCK_POOL_SIZE = "mcp.connector.authorization.refresh-lock-pool-size";

	private static final int DEFAULT_REFRESH_LOCK_POOL_SIZE = 4;

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

		/**
		 * Refreshes of one connection happen one at a time across every instance sharing the
		 * database; the locks are held on a small pool of their own, so a refresh never holds
		 * one of the application's connections while it waits for another.
		 */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(DataSource.class)
		RefreshLock mcpConnectorRefreshLock(DataSource dataSource, Environment environment) {
			return PostgresAdvisoryRefreshLock.withOwnPool(dataSource,
					environment.getProperty(REFRESH_LOCK_POOL_SIZE, Integer.class, DEFAULT_REFRESH_LOCK_POOL_SIZE));
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

		@Bean
		@ConditionalOnMissingBean
		ApprovalStore mcpConnectorApprovalStore(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager) {
			return new JpaApprovalStore(entityManagerFactory, transactionManager);
		}

	}

}
