package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.web.McpConnectionController;
import dev.mcpconnector.web.McpConnectorProblemHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The REST API of mcp-connector, in servlet web applications. The host application's Spring
 * Security configuration decides who may call it; every endpoint acts for the authenticated
 * user only.
 */
@AutoConfiguration(after = McpConnectorAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(McpConnectionService.class)
@ConditionalOnBooleanProperty(name = "mcp.connector.web.enabled", matchIfMissing = true)
public final class McpConnectorWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpConnectionController mcpConnectionController(McpConnectionService connections, OwnerResolver ownerResolver,
			McpConnectorProperties properties) {
		String basePath = properties.getWeb().getBasePath();
		if (basePath == null || !basePath.startsWith("/") || basePath.endsWith("/")) {
			throw new IllegalStateException("mcp.connector.web.base-path must start with '/' and not end with '/'"
					+ " (for example /api/mcp), but was '" + basePath + "'");
		}
		return new McpConnectionController(connections, ownerResolver);
	}

	@Bean
	@ConditionalOnMissingBean
	McpConnectorProblemHandler mcpConnectorProblemHandler() {
		return new McpConnectorProblemHandler();
	}

}
