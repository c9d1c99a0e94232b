package dev.mcpconnector.web;

import dev.mcpconnector.ai.McpGatewayTokens;
import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.usage.UsageService;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The web layer's beans, imported by the web auto-configuration (do not import it yourself).
 * The Problem Details advice for the host's own controllers is always there; the REST API only
 * while {@code mcp.connector.web.enabled} is on. Its types are package-private; switch the REST
 * API off and write controllers of your own over the executor and the connection service to
 * change it.
 */
@Configuration(proxyBeanMethods = false)
public final class McpConnectorWebConfiguration {

	/** Problem Details for connector exceptions that escape the host application's controllers. */
	@Bean
	@ConditionalOnMissingBean
	McpConnectorExceptionAdvice mcpConnectorExceptionAdvice() {
		return new McpConnectorExceptionAdvice();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(McpConnectionService.class)
	@ConditionalOnBooleanProperty(name = "mcp.connector.web.enabled", matchIfMissing = true)
	static class RestApiConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebPaths mcpConnectorWebPaths(McpConnectorWebSettings settings) {
			return new WebPaths(settings.basePath(), settings.redirectUri(), settings.defaultReturnTo());
		}

		@Bean
		@ConditionalOnMissingBean
		McpConnectionController mcpConnectionController(McpConnectionService connections,
				McpAuthorizationService authorization, McpToolExecutor executor, WebPaths paths,
				OwnerResolver ownerResolver) {
			return new McpConnectionController(connections, authorization, executor, paths, ownerResolver);
		}

		@Bean
		@ConditionalOnMissingBean
		McpAuthorizationController mcpAuthorizationController(McpAuthorizationService authorization, WebPaths paths,
				OwnerResolver ownerResolver, McpConnectorWebSettings settings) {
			return new McpAuthorizationController(authorization, paths, ownerResolver,
					settings.clientMetadataDocumentUrl(), settings.clientName());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(ApprovalService.class)
		McpApprovalController mcpApprovalController(ApprovalService approvals, OwnerResolver ownerResolver,
				McpConnectorWebSettings settings) {
			return new McpApprovalController(approvals, ownerResolver, settings.approverAuthority());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ AuditQuery.class, UsageService.class })
		McpAuditController mcpAuditController(AuditQuery audit, UsageService usage, OwnerResolver ownerResolver,
				McpConnectorWebSettings settings) {
			return new McpAuditController(audit, usage, ownerResolver, settings.adminAuthority(),
					settings.globalAdminAuthority());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(McpGatewayTokens.class)
		McpGatewayTokenController mcpGatewayTokenController(McpGatewayTokens tokens, OwnerResolver ownerResolver) {
			return new McpGatewayTokenController(tokens, ownerResolver);
		}

		/** Before Spring Security's filter chain, so its DEBUG request lines show no code. */
		@Bean
		@ConditionalOnMissingBean(name = "mcpConnectorCallbackQueryRedactingFilter")
		FilterRegistrationBean<CallbackQueryRedactingFilter> mcpConnectorCallbackQueryRedactingFilter(
				WebPaths paths) {
			FilterRegistrationBean<CallbackQueryRedactingFilter> registration = new FilterRegistrationBean<>(
					new CallbackQueryRedactingFilter());
			registration.addUrlPatterns(paths.basePath() + "/oauth/callback");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
			return registration;
		}

		@Bean
		@ConditionalOnMissingBean
		McpConnectorProblemHandler mcpConnectorProblemHandler() {
			return new McpConnectorProblemHandler();
		}

	}

}
