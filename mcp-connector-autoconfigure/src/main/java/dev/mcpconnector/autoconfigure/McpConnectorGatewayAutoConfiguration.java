package dev.mcpconnector.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import dev.mcpconnector.ai.McpGatewayTokens;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.ai.McpGatewayServlet;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The gateway, when {@code mcp.connector.gateway.enabled=true}: the authenticated user's
 * connected tools as one MCP server (Streamable HTTP) at {@code {web.base-path}/gateway/mcp},
 * registered as a servlet behind the application's own Spring Security filter chain.
 */
@AutoConfiguration(after = { McpConnectorAutoConfiguration.class, McpConnectorGovernanceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HttpServletStatelessServerTransport.class, ServletRegistrationBean.class })
@ConditionalOnBean(McpToolExecutor.class)
@ConditionalOnBooleanProperty(name = "mcp.connector.gateway.enabled")
public final class McpConnectorGatewayAutoConfiguration {

	/** Path of the gateway under {@code mcp.connector.web.base-path}. */
	public static final String GATEWAY_PATH = "/gateway/mcp";

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorGatewayServlet")
	ServletRegistrationBean<McpGatewayServlet> mcpConnectorGatewayServlet(McpToolExecutor executor,
			McpConnectionService connections, OwnerResolver ownerResolver, SecretCipher cipher,
			McpConnectorProperties properties) {
		String basePath = properties.getWeb().getBasePath();
		McpConnectorProperties.Gateway gateway = properties.getGateway();
		String path = basePath + GATEWAY_PATH;
		McpGatewayServlet servlet = new McpGatewayServlet(executor, connections, ownerResolver, cipher, path,
				gateway.getAllowedOrigins(),
				new McpSchema.Implementation(gateway.getServerName(), properties.getClient().getVersion()));
		ServletRegistrationBean<McpGatewayServlet> registration = new ServletRegistrationBean<>(servlet, path);
		registration.setName("mcpConnectorGateway");
		registration.setAsyncSupported(true);
		return registration;
	}

	/**
	 * Gateway tokens for hosted AI platforms, stored in the connector's database, and the filter
	 * that accepts them on the gateway's paths before Spring Security's filter chain runs.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ DataSource.class, McpConnectorTables.class })
	static class GatewayTokenConfiguration {

		@Bean
		@ConditionalOnMissingBean
		McpGatewayTokens mcpGatewayTokens(DataSource dataSource, McpConnectorTables tables,
				ObjectProvider<Clock> clock,
				@Qualifier(McpConnectorGovernanceAutoConfiguration.COMPOSITE_AUDIT_LOG_BEAN) ObjectProvider<AuditLog> audit) {
			return new McpGatewayTokens(dataSource, tables, clock.getIfAvailable(Clock::systemUTC),
					audit.getIfAvailable(() -> (event) -> {
					}), McpGatewayTokens.DEFAULT_MAX_LIFETIME);
		}

		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorGatewayTokenFilter")
		FilterRegistrationBean<McpGatewayTokens.BearerFilter> mcpConnectorGatewayTokenFilter(McpGatewayTokens tokens,
				McpConnectorProperties properties) {
			String endpoint = properties.getWeb().getBasePath() + GATEWAY_PATH;
			FilterRegistrationBean<McpGatewayTokens.BearerFilter> registration = new FilterRegistrationBean<>(
					new McpGatewayTokens.BearerFilter(tokens, endpoint));
			registration.addUrlPatterns(properties.getWeb().getBasePath() + "/gateway/*");
			registration.setName("mcpConnectorGatewayTokenFilter");
			// Before Spring Security's filter chain (order -100), so the host's rules see the user.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
			return registration;
		}

	}

	/** {@code {base}/gateway/<connection>/mcp}, served by the same servlet, after Spring Security. */
	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorGatewayConnectionEndpoints")
	FilterRegistrationBean<McpGatewayServlet.ConnectionEndpoints> mcpConnectorGatewayConnectionEndpoints(
			@Qualifier("mcpConnectorGatewayServlet") ServletRegistrationBean<McpGatewayServlet> gateway,
			McpConnectorProperties properties) {
		FilterRegistrationBean<McpGatewayServlet.ConnectionEndpoints> registration = new FilterRegistrationBean<>(
				new McpGatewayServlet.ConnectionEndpoints(gateway.getServlet()));
		registration.addUrlPatterns(properties.getWeb().getBasePath() + "/gateway/*");
		registration.setName("mcpConnectorGatewayConnectionEndpoints");
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}

}
