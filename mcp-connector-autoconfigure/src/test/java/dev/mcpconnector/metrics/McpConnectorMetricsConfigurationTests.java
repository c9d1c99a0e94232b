package dev.mcpconnector.metrics;

import dev.mcpconnector.autoconfigure.McpConnectorAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorGovernanceAutoConfiguration;
import dev.mcpconnector.autoconfigure.McpConnectorObservabilityAutoConfiguration;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorMetricsConfiguration} as the observability auto-configuration imports it:
 * the Micrometer implementations by default, each backing off by its type.
 */
class McpConnectorMetricsConfigurationTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				TransactionAutoConfiguration.class, McpConnectorAutoConfiguration.class,
				McpConnectorGovernanceAutoConfiguration.class, McpConnectorObservabilityAutoConfiguration.class))
		.withPropertyValues(database.springProperties())
		.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key())
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void metricsBeansWhenMeterRegistryPresentThenTheMicrometerImplementations() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(MicrometerMcpConnectorMetrics.class)
			.hasSingleBean(MetricsAuditEventListener.class)
			.hasSingleBean(McpConnectorMetricsInterceptor.class));
	}

	@Test
	void metricsAuditEventListenerWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customListener", MetricsAuditEventListener.class,
					() -> new MetricsAuditEventListener(new MicrometerMcpConnectorMetrics(new SimpleMeterRegistry())))
			.run((context) -> assertThat(context.getBeanNamesForType(MetricsAuditEventListener.class))
				.containsExactly("customListener"));
	}

	@Test
	void metricsInterceptorWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customInterceptor", McpConnectorMetricsInterceptor.class,
					() -> new McpConnectorMetricsInterceptor(new MicrometerMcpConnectorMetrics(new SimpleMeterRegistry()),
							ObservationRegistry.NOOP))
			.run((context) -> assertThat(context.getBeanNamesForType(McpConnectorMetricsInterceptor.class))
				.containsExactly("customInterceptor"));
	}

}
