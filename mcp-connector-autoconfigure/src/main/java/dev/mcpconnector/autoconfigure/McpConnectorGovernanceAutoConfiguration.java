package dev.mcpconnector.autoconfigure;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;

/**
 * Auto-configuration of mcp-connector's governance (on the approval store that the core
 * auto-configuration keeps with the other JPA stores): the tool policy from
 * {@code mcp.connector.governance.rules}, human approvals, rate limits, the audit log (one
 * composite {@code AuditLog} that every component records to), usage and the scheduled
 * retention job, with the policy, approval and audit steps of the executor's tool-call
 * pipeline. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
		McpConnectorAutoConfiguration.class })
@ConditionalOnClass({ Authentication.class, EntityManagerFactory.class })
@EnableConfigurationProperties(McpConnectorProperties.class)
@Import({ McpConnectorGovernanceConfigurations.PolicyConfiguration.class,
		McpConnectorGovernanceConfigurations.ApprovalConfiguration.class,
		McpConnectorGovernanceConfigurations.ApprovalInterceptorConfiguration.class,
		McpConnectorGovernanceConfigurations.RateLimitConfiguration.class,
		McpConnectorGovernanceConfigurations.AuditConfiguration.class,
		McpConnectorGovernanceConfigurations.CompositeAuditConfiguration.class,
		McpConnectorGovernanceConfigurations.UsageConfiguration.class,
		McpConnectorGovernanceConfigurations.RetentionConfiguration.class })
public final class McpConnectorGovernanceAutoConfiguration {

	/** Name of the composite audit log bean; define a bean of this name to replace it. */
	public static final String COMPOSITE_AUDIT_LOG_BEAN = "mcpConnectorCompositeAuditLog";

}
