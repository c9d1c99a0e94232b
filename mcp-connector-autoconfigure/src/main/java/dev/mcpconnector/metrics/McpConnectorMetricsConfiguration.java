package dev.mcpconnector.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.jpa.JpaKeyRotation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Micrometer metrics, when a {@link MeterRegistry} bean exists: the {@link McpConnectorMetrics}
 * that records to it, the audit-event listener that counts authorizations, refreshes and
 * approvals, the tool-call interceptor that times every call with an observation, the count of
 * audit events dropped unstored, and, with
 * the default cipher and JPA storage, the key-rotation gauges. Each bean backs off when the
 * application defines its own. Imported by the auto-configuration; the implementations
 * themselves are internal.
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

	/**
	 * The counter {@code mcp.connector.audit.dropped}: audit events the audit log dropped
	 * without storing them (its queue was full), so that none is lost unseen.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorAuditMetrics")
	MeterBinder mcpConnectorAuditMetrics(ObjectProvider<AuditLog> auditLog) {
		return (registry) -> auditLog.ifAvailable((log) -> FunctionCounter
			.builder("mcp.connector.audit.dropped", log, AuditLog::droppedCount)
			.description("Audit events dropped without being stored")
			.register(registry));
	}

	/** Ciphertexts per key id, counted at most every 10 seconds, for the default cipher. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ JpaKeyRotation.class, AesGcmSecretCipher.class })
	static class KeyRotationMetricsConfiguration {

		/** Where the configured keys are; only their ids are read. */
		private static final String KEYS_PROPERTY = "mcp.connector.encryption.keys";

		@Bean
		@ConditionalOnMissingBean
		KeyRotationMetrics mcpConnectorKeyRotationMetrics(JpaKeyRotation rotation, AesGcmSecretCipher cipher,
				Environment environment, ObjectProvider<Clock> clock) {
			Map<String, String> keys = Binder.get(environment)
				.bind(KEYS_PROPERTY, Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
			return new KeyRotationMetrics(rotation::ciphertextsPerKey, cipher.activeKeyId(), keys.keySet(),
					Duration.ofSeconds(10), clock.getIfUnique(Clock::systemUTC));
		}

	}

}
