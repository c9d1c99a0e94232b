package dev.mcpconnector.actuate;

import dev.mcpconnector.autoconfigure.McpConnectorActuatorAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorGovernanceAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorObservabilityAutoConfiguration;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorActuateConfigurations} as the Actuator and observability
 * auto-configurations import them: the health contributor and the keys endpoint by their
 * types, and the endpoint backing off.
 */
class McpConnectorActuateConfigurationsTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				TransactionAutoConfiguration.class, WebMvcAutoConfiguration.class, McpConnectorAutoConfiguration.class,
				McpConnectorGovernanceAutoConfiguration.class, McpConnectorActuatorAutoConfiguration.class,
				McpConnectorObservabilityAutoConfiguration.class))
		.withPropertyValues(database.springProperties())
		.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
				"management.endpoints.web.exposure.include=mcpconnectorkeys");

	@Test
	void actuateBeansWhenDefaultsThenHealthIndicatorAndKeysEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(McpConnectorHealthIndicator.class)
			.hasSingleBean(McpConnectorKeysEndpoint.class));
	}

	@Test
	void keysEndpointWhenUserDefinedThenBacksOff() {
		this.contextRunner.withUserConfiguration(CustomKeysEndpoint.class)
			.run((context) -> assertThat(context.getBeanNamesForType(McpConnectorKeysEndpoint.class))
				.containsExactly("customKeysEndpoint"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomKeysEndpoint {

		@Bean
		McpConnectorKeysEndpoint customKeysEndpoint(JpaKeyRotation rotation, AesGcmSecretCipher cipher) {
			return new McpConnectorKeysEndpoint(rotation, cipher.activeKeyId());
		}

	}

}
