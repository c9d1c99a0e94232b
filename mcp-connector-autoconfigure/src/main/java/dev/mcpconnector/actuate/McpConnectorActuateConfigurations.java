package dev.mcpconnector.actuate;

import javax.sql.DataSource;

import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Actuator contributions, one configuration each, imported by the auto-configuration that
 * owns it: the {@code mcpConnector} health contributor ({@link Health}, by the observability
 * auto-configuration) and the {@code mcpconnectorkeys} endpoint ({@link KeysEndpoint}, by the
 * Actuator auto-configuration). The contributions themselves are internal.
 */
public final class McpConnectorActuateConfigurations {

	private McpConnectorActuateConfigurations() {
	}

	/** The health contributor {@code mcpConnector}: connection counts by status. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnEnabledHealthIndicator("mcpConnector")
	public static class Health {

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorHealthIndicator")
		McpConnectorHealthIndicator mcpConnectorHealthIndicator(DataSource dataSource, McpConnectorTables tables) {
			return new McpConnectorHealthIndicator(dataSource, tables);
		}

	}

	/** The endpoint {@code mcpconnectorkeys}, for the default cipher, whose format records key ids. */
	@Configuration(proxyBeanMethods = false)
	public static class KeysEndpoint {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ JpaKeyRotation.class, AesGcmSecretCipher.class })
		@ConditionalOnAvailableEndpoint
		McpConnectorKeysEndpoint mcpConnectorKeysEndpoint(JpaKeyRotation rotation, AesGcmSecretCipher cipher) {
			return new McpConnectorKeysEndpoint(rotation, cipher.activeKeyId());
		}

	}

}
