package dev.mcpconnector.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import dev.mcpconnector.actuate.McpConnectorActuateConfigurations;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.metrics.KeyRotationMetrics;
import dev.mcpconnector.metrics.McpConnectorMetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Micrometer metrics and an observation per tool call, and an Actuator health contributor
 * ({@code mcpConnector}) that summarizes connection states.
 */
@AutoConfiguration(after = McpConnectorAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@Import(McpConnectorActuateConfigurations.Health.class)
public final class McpConnectorObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	@Import(McpConnectorMetricsConfiguration.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ JpaKeyRotation.class, AesGcmSecretCipher.class })
		KeyRotationMetrics mcpConnectorKeyRotationMetrics(JpaKeyRotation rotation, AesGcmSecretCipher cipher,
				McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			return new KeyRotationMetrics(rotation::ciphertextsPerKey, cipher.activeKeyId(),
					properties.getEncryption().getKeys().keySet(), Duration.ofSeconds(10),
					clock.getIfUnique(Clock::systemUTC));
		}

	}

}
