package dev.mcpconnector.jpa;

import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.autoconfigure.McpConnectorAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorGovernanceAutoConfiguration;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorJpaConfiguration} as the core auto-configuration imports it: the JPA
 * implementations of the storage SPIs by default, each backing off by its SPI type.
 */
class McpConnectorJpaConfigurationTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				TransactionAutoConfiguration.class, McpConnectorAutoConfiguration.class,
				McpConnectorGovernanceAutoConfiguration.class))
		.withPropertyValues(database.springProperties())
		.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key());

	@Test
	void storageBeansWhenDefaultsThenTheJpaImplementations() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(McpConnectionRepository.class).isInstanceOf(JpaMcpConnectionRepository.class);
			assertThat(context).getBean(ClientRegistrationStore.class).isInstanceOf(JpaClientRegistrationStore.class);
			assertThat(context).getBean(PendingAuthorizationStore.class)
				.isInstanceOf(JpaPendingAuthorizationStore.class);
			assertThat(context).getBean(ApprovalStore.class).isInstanceOf(JpaApprovalStore.class);
			assertThat(context).getBean(RefreshLock.class).isInstanceOf(PostgresAdvisoryRefreshLock.class);
		});
	}

	@Test
	void connectionRepositoryWhenUserDefinedThenNoJpaRepository() {
		this.contextRunner.withBean(McpConnectionRepository.class, McpConnectionRepository::inMemory)
			.run((context) -> assertThat(context).hasSingleBean(McpConnectionRepository.class)
				.doesNotHaveBean(JpaMcpConnectionRepository.class));
	}

	@Test
	void approvalStoreWhenUserDefinedThenBacksOff() {
		this.contextRunner.withUserConfiguration(CustomApprovalStore.class)
			.run((context) -> assertThat(context.getBeanNamesForType(ApprovalStore.class))
				.containsExactly("customApprovalStore"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomApprovalStore {

		@Bean
		ApprovalStore customApprovalStore(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager) {
			return new JpaApprovalStore(entityManagerFactory, transactionManager);
		}

	}

}
