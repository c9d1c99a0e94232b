package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.jpa.McpConnectorJpaConfiguration;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;

/**
 * Auto-configuration of mcp-connector's core: secret encryption, owner resolution, storage of
 * connections, client registrations, pending authorizations and approvals on the
 * application's JPA {@link EntityManagerFactory} ({@link McpConnectorJpaConfiguration}), the
 * guarded outbound HTTP client, the OAuth client, the tool executor and mcp-connector's own
 * schema migrations. Every bean backs off when the application defines its own. Policies,
 * the approval service, rate limits, audit, usage and retention are
 * {@link McpConnectorGovernanceAutoConfiguration}'s.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
		HibernateJpaAutoConfiguration.class })
@ConditionalOnClass({ Authentication.class, EntityManagerFactory.class })
@EnableConfigurationProperties(McpConnectorProperties.class)
@Import({ McpConnectorConfigurations.TablesConfiguration.class, McpConnectorConfigurations.EncryptionConfiguration.class,
		McpConnectorJpaConfiguration.class,
		McpConnectorConfigurations.ConnectionConfiguration.class, McpConnectorConfigurations.EgressConfiguration.class,
		McpConnectorConfigurations.AuthorizationConfiguration.class,
		McpConnectorConfigurations.ExecutionConfiguration.class,
		McpConnectorConfigurations.ConnectionCheckConfiguration.class,
		McpConnectorConfigurations.SchemaMigrationConfiguration.class })
public final class McpConnectorAutoConfiguration {

	/** Name of the bean that runs mcp-connector's migrations. */
	public static final String SCHEMA_MIGRATOR_BEAN = "mcpConnectorSchemaMigrator";

}
