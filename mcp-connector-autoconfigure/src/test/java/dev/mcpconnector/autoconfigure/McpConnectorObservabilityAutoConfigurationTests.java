package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.audit.AuditEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorObservabilityAutoConfiguration}: metrics with a {@link MeterRegistry},
 * the health contributor, each backing off, and nothing without Micrometer.
 */
class McpConnectorObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TestContextRunners.connector()
		.withConfiguration(AutoConfigurations.of(McpConnectorObservabilityAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void metricsBeansWhenMeterRegistryPresentThenDefined() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("mcpConnectorMetrics")
			.hasBean("mcpConnectorMetricsAuditEventListener")
			.hasBean("mcpConnectorMetricsInterceptor")
			.hasBean("mcpConnectorKeyRotationMetrics")
			.hasBean("mcpConnectorHealthIndicator"));
	}

	@Test
	void metricsAuditEventListenerIsOneOfTheCompositeAuditLogsListeners() {
		this.contextRunner.run((context) -> assertThat(context.getBean(CompositeAuditLog.class).listeners())
			.containsExactly(context.getBean("mcpConnectorMetricsAuditEventListener", AuditEvent.Listener.class)));
	}

	// metricsWhenUserDefinedThenBacksOff, keyRotationMetricsWhenUserDefinedThenBacksOff:
	// metrics.McpConnectorMetricsConfigurationTests (their types are internal to metrics)

	@Test
	void healthIndicatorWhenUserDefinedByNameThenBacksOff() {
		HealthIndicator custom = () -> null;
		this.contextRunner.withBean("mcpConnectorHealthIndicator", HealthIndicator.class, () -> custom)
			.run((context) -> {
				assertThat(context.getBeansOfType(HealthIndicator.class)).containsOnlyKeys("mcpConnectorHealthIndicator");
				assertThat(context).getBean("mcpConnectorHealthIndicator").isSameAs(custom);
			});
	}

	@Test
	void healthIndicatorWhenDisabledThenAbsent() {
		this.contextRunner.withPropertyValues("management.health.mcpConnector.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mcpConnectorHealthIndicator"));
	}

	@Test
	void metricsBeansWhenNoMeterRegistryBeanThenAbsent() {
		TestContextRunners.connector()
			.withConfiguration(AutoConfigurations.of(McpConnectorObservabilityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("mcpConnectorMetrics")
				.hasSingleBean(CompositeAuditLog.class));
	}

	@Test
	void metricsBeansWhenMicrometerAbsentThenAbsent() {
		TestContextRunners.connector()
			.withConfiguration(AutoConfigurations.of(McpConnectorObservabilityAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorMetrics"));
	}

	@Test
	void healthIndicatorWhenHealthModuleAbsentThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorHealthIndicator"));
	}

}
