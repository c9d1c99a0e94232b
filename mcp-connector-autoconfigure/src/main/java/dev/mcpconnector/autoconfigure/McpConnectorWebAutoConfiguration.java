package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.web.McpConnectorWebConfiguration;
import dev.mcpconnector.web.McpConnectorWebSettings;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * mcp-connector in servlet web applications: the REST API (unless {@code mcp.connector.web.enabled}
 * is off) and, always, Problem Details for connector exceptions that escape the host's own
 * controllers. The host application's Spring Security configuration decides who may call the
 * API; every endpoint acts for the authenticated user only.
 */
@AutoConfiguration(after = { McpConnectorAutoConfiguration.class, McpConnectorGovernanceAutoConfiguration.class,
		McpConnectorGatewayAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@Import(McpConnectorWebConfiguration.class)
public final class McpConnectorWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(McpConnectorProperties.class)
	McpConnectorWebSettings mcpConnectorWebSettings(McpConnectorProperties properties, Environment environment) {
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		return new McpConnectorWebSettings(properties.getWeb().getBasePath(),
				properties.getAuthorization().effectiveRedirectUri(contextPath, properties.getWeb().getBasePath()),
				properties.getAuthorization().getDefaultReturnTo(),
				properties.getRegistration().getClientMetadataDocumentUrl(),
				properties.getRegistration().getClientName(),
				properties.getGovernance().getApproval().getApproverAuthority(),
				properties.getAudit().getAdminAuthority(), properties.getAudit().getGlobalAdminAuthority());
	}

}
