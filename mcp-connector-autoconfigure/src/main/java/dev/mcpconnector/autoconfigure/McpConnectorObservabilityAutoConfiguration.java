package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.actuate.McpConnectorActuateConfigurations;
import dev.mcpconnector.metrics.McpConnectorMetricsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
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

		// every metrics bean, the key-rotation gauges included, is McpConnectorMetricsConfiguration's

	}

}
