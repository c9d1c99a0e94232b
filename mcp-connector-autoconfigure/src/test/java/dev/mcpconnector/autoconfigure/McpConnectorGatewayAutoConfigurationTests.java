package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.ai.McpGatewayServlet;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorGatewayAutoConfiguration}: the gateway servlet when enabled, under the
 * base path, backing off.
 */
class McpConnectorGatewayAutoConfigurationTests {

	private final WebApplicationContextRunner web = TestContextRunners.web()
		.withConfiguration(AutoConfigurations.of(McpConnectorGatewayAutoConfiguration.class));

	@Test
	void gatewayWhenNotEnabledThenAbsent() {
		this.web.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorGatewayServlet"));
	}

	@Test
	void gatewayWhenEnabledThenServedUnderTheBasePath() {
		this.web.withPropertyValues("mcp.connector.gateway.enabled=true", "mcp.connector.web.base-path=/connector")
			.run((context) -> assertThat(
					context.getBean("mcpConnectorGatewayServlet", ServletRegistrationBean.class).getUrlMappings())
				.containsExactly("/connector/gateway/mcp"));
	}

	@Test
	void gatewayWhenNotAWebApplicationThenAbsent() {
		TestContextRunners.connector()
			.withConfiguration(AutoConfigurations.of(McpConnectorGatewayAutoConfiguration.class))
			.withPropertyValues("mcp.connector.gateway.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorGatewayServlet"));
	}

	@Test
	void gatewayWhenMcpServerTransportAbsentThenAbsent() {
		this.web.withPropertyValues("mcp.connector.gateway.enabled=true")
			.withClassLoader(new FilteredClassLoader(HttpServletStatelessServerTransport.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorGatewayServlet"));
	}

	@Test
	void gatewayWhenUserDefinedByNameThenBacksOff() {
		this.web.withPropertyValues("mcp.connector.gateway.enabled=true")
			.withUserConfiguration(CustomGateway.class)
			.run((context) -> assertThat(
					context.getBean("mcpConnectorGatewayServlet", ServletRegistrationBean.class).getUrlMappings())
				.containsExactly("/custom/mcp"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomGateway {

		@Bean
		ServletRegistrationBean<McpGatewayServlet> mcpConnectorGatewayServlet(McpToolExecutor executor,
				McpConnectionService connections, OwnerResolver owners, SecretCipher cipher) {
			McpGatewayServlet servlet = new McpGatewayServlet(executor, connections, owners, cipher, "/custom/mcp",
					java.util.List.of(), new McpSchema.Implementation("custom", "1"));
			return new ServletRegistrationBean<>(servlet, "/custom/mcp");
		}

	}

}
