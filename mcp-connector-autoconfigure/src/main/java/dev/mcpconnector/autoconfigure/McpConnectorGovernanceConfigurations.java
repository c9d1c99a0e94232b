package dev.mcpconnector.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.ratelimit.RateLimit;
import dev.mcpconnector.scheduling.McpConnectorJobs;
import dev.mcpconnector.scheduling.RetentionTask;
import dev.mcpconnector.usage.UsageService;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The configurations that {@link McpConnectorGovernanceAutoConfiguration} imports, one per
 * concern, in the order their conditions need (the JDBC audit log before the composite).
 */
final class McpConnectorGovernanceConfigurations {

	private McpConnectorGovernanceConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	static class PolicyConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ToolPolicy mcpConnectorToolPolicy(McpConnectorProperties properties) {
			return new GovernancePropertiesMapper(properties.getGovernance()).asToolPolicy();
		}

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorToolPolicyInterceptor")
		ToolCallInterceptor mcpConnectorToolPolicyInterceptor(ToolPolicy toolPolicy) {
			return ToolCallInterceptor.policy(toolPolicy);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EntityManagerFactory.class, PlatformTransactionManager.class })
	static class ApprovalConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ApprovalService mcpConnectorApprovalService(ApprovalStore store, ObjectProvider<AuditLog> audit,
				McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			GovernanceProperties.Approval approval = properties.getGovernance().getApproval();
			return new ApprovalService(store, audit.getIfAvailable(AuditLog::none), approval.getLifetime(),
					approval.getMaxWait(), clock.getIfUnique(Clock::systemUTC));
		}

	}

	/** Apart from the JPA store, so that an approval service of the application's own is used too. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ApprovalService.class)
	static class ApprovalInterceptorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorApprovalInterceptor")
		ToolCallInterceptor mcpConnectorApprovalInterceptor(ApprovalService approvals) {
			return ToolCallInterceptor.approval(approvals);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	static class RateLimitConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorRateLimitInterceptor")
		ToolCallInterceptor mcpConnectorRateLimitInterceptor(McpConnectorProperties properties,
				DataSource dataSource, McpConnectorTables tables) {
			return new GovernancePropertiesMapper(properties.getGovernance()).asRateLimitInterceptor(dataSource,
					tables);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	static class AuditConfiguration {

		@Bean
		@ConditionalOnMissingBean(value = AuditLog.class, ignored = CompositeAuditLog.class)
		@ConditionalOnBooleanProperty(name = "mcp.connector.audit.enabled", matchIfMissing = true)
		AuditLog mcpConnectorAuditLog(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties) {
			AuditProperties audit = properties.getAudit();
			return AuditLog.jdbc(dataSource, tables, audit.getQueueCapacity(), audit.getBatchSize(), audit.getMaxDelay(),
					audit.getShutdownTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		AuditQuery mcpConnectorAuditQuery(DataSource dataSource, McpConnectorTables tables) {
			return new AuditQuery(dataSource, tables);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CompositeAuditConfiguration {

		/**
		 * The audit log the connector's components record to: every other audit log bean and
		 * every listener. Composites are filtered out by type before any is created, so this
		 * bean never asks for itself.
		 */
		@Bean(McpConnectorGovernanceAutoConfiguration.COMPOSITE_AUDIT_LOG_BEAN)
		@Primary
		@ConditionalOnMissingBean(name = McpConnectorGovernanceAutoConfiguration.COMPOSITE_AUDIT_LOG_BEAN)
		CompositeAuditLog mcpConnectorCompositeAuditLog(ObjectProvider<AuditLog> logs,
				ObjectProvider<AuditEvent.Listener> listeners) {
			List<AuditLog> delegates = logs.orderedStream((type) -> !CompositeAuditLog.class.isAssignableFrom(type))
				.toList();
			return new CompositeAuditLog(delegates, listeners.orderedStream().toList());
		}

		/** Records every tool call to the composite audit log. */
		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorAuditInterceptor")
		ToolCallInterceptor mcpConnectorAuditInterceptor(ObjectProvider<AuditLog> audit, ObjectProvider<Clock> clock) {
			return ToolCallInterceptor.audit(audit.getIfAvailable(AuditLog::none), clock.getIfUnique(Clock::systemUTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	static class UsageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		UsageService mcpConnectorUsageService(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties, ObjectProvider<Clock> clock) {
			return new UsageService(dataSource, tables, properties.getUsage().getTimeZone(),
					clock.getIfUnique(Clock::systemUTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "mcp.connector.retention.enabled", matchIfMissing = true)
	static class RetentionConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorRetentionJob")
		SmartLifecycle mcpConnectorRetentionJob(DataSource dataSource, McpConnectorTables tables,
				McpConnectorProperties properties,
				ObjectProvider<Clock> clock, ObjectProvider<RetentionTask> tasks,
				ObjectProvider<ApprovalService> approvals,
				@Qualifier("mcpConnectorRateLimitInterceptor") ObjectProvider<ToolCallInterceptor> rateLimits) {
			RetentionProperties retention = properties.getRetention();
			List<RetentionTask> all = new ArrayList<>(tasks.orderedStream().toList());
			approvals.ifAvailable((service) -> all.add(RetentionTask.of("approvals", (now) -> service.expire())));
			rateLimits.ifAvailable((limits) -> RateLimit.expiredBuckets(limits).ifPresent(all::add));
			return McpConnectorJobs.retention(dataSource, tables, retention.getAudit(), retention.getInterval(),
					retention.getBatchSize(), clock.getIfUnique(Clock::systemUTC), all);
		}

	}

}
