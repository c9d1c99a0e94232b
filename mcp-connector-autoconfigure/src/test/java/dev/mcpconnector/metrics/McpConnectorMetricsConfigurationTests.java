package dev.mcpconnector.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

	@Test
	void metricsWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customMetrics", McpConnectorMetrics.class, () -> McpConnectorMetrics.NOOP)
			.run((context) -> assertThat(context.getBeanNamesForType(McpConnectorMetrics.class))
				.containsExactly("customMetrics"));
	}

	@Test
	void keyRotationMetricsWhenDefaultCipherThenCountsEveryConfiguredKey() {
		this.contextRunner.withPropertyValues("mcp.connector.encryption.keys.k2=" + TestKeys.newBase64Key(),
				"mcp.connector.encryption.active-key-id=k2")
			.run((context) -> {
				assertThat(context).hasSingleBean(KeyRotationMetrics.class);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(KeyRotationMetrics.class).bindTo(registry);
				assertThat(registry.find("mcp.connector.encryption.ciphertexts").tags("key", "k1", "active", "false").gauge())
					.isNotNull();
				assertThat(registry.find("mcp.connector.encryption.ciphertexts").tags("key", "k2", "active", "true").gauge())
					.isNotNull();
			});
	}

	@Test
	void keyRotationMetricsWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customKeyRotationMetrics", KeyRotationMetrics.class,
					() -> new KeyRotationMetrics(Map::of, "k1", List.of("k1"), Duration.ofSeconds(1), Clock.systemUTC()))
			.run((context) -> assertThat(context.getBeanNamesForType(KeyRotationMetrics.class))
				.containsExactly("customKeyRotationMetrics"));
	}

}
