package dev.mcpconnector.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer metrics, when a {@link MeterRegistry} bean exists: the {@link McpConnectorMetrics}
 * that records to it, the audit-event listener that counts authorizations, refreshes and
 * approvals, and the tool-call interceptor that times every call with an observation. Each
 * bean backs off when the application defines its own. Imported by the auto-configuration;
 * the implementations themselves are internal.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class McpConnectorMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpConnectorMetrics mcpConnectorMetrics(MeterRegistry registry) {
		return new MicrometerMcpConnectorMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	MetricsAuditEventListener mcpConnectorMetricsAuditEventListener(McpConnectorMetrics metrics) {
		return new MetricsAuditEventListener(metrics);
	}

	@Bean
	@ConditionalOnMissingBean
	McpConnectorMetricsInterceptor mcpConnectorMetricsInterceptor(McpConnectorMetrics metrics,
			ObjectProvider<ObservationRegistry> observations) {
		return new McpConnectorMetricsInterceptor(metrics, observations.getIfUnique(() -> ObservationRegistry.NOOP));
	}

}
