package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.usage.UsageService;
import dev.mcpconnector.web.McpAuditController;
import dev.mcpconnector.web.CallbackQueryRedactingFilter;
import dev.mcpconnector.web.McpApprovalController;
import dev.mcpconnector.web.McpAuthorizationController;
import dev.mcpconnector.web.WebPaths;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.web.McpConnectionController;
import dev.mcpconnector.web.McpConnectorExceptionAdvice;
import dev.mcpconnector.web.McpConnectorProblemHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The REST API of mcp-connector, in servlet web applications. The host application's Spring
 * Security configuration decides who may call it; every endpoint acts for the authenticated
 * user only.
 */
@AutoConfiguration(after = { McpConnectorAutoConfiguration.class, McpConnectorGovernanceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(McpConnectionService.class)
@ConditionalOnBooleanProperty(name = "mcp.connector.web.enabled", matchIfMissing = true)
public final class McpConnectorWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebPaths mcpConnectorWebPaths(McpConnectorProperties properties) {
		return new WebPaths(properties.getWeb().getBasePath(), properties.getAuthorization().getRedirectUri(),
				properties.getAuthorization().getDefaultReturnTo());
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
			OwnerResolver ownerResolver, McpConnectorProperties properties) {
		return new McpAuthorizationController(authorization, paths, ownerResolver,
				properties.getRegistration().getClientMetadataDocumentUrl(),
				properties.getRegistration().getClientName());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ApprovalService.class)
	McpApprovalController mcpApprovalController(ApprovalService approvals, OwnerResolver ownerResolver,
			McpConnectorProperties properties) {
		return new McpApprovalController(approvals, ownerResolver,
				properties.getGovernance().getApproval().getApproverAuthority());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ AuditQuery.class, UsageService.class })
	McpAuditController mcpAuditController(AuditQuery audit, UsageService usage, OwnerResolver ownerResolver,
			McpConnectorProperties properties) {
		return new McpAuditController(audit, usage, ownerResolver, properties.getAudit().getAdminAuthority());
	}

	/** Before Spring Security's filter chain, so its DEBUG request lines show no code. */
	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorCallbackQueryRedactingFilter")
	FilterRegistrationBean<CallbackQueryRedactingFilter> mcpConnectorCallbackQueryRedactingFilter(
			McpConnectorProperties properties) {
		FilterRegistrationBean<CallbackQueryRedactingFilter> registration = new FilterRegistrationBean<>(
				new CallbackQueryRedactingFilter());
		registration.addUrlPatterns(properties.getWeb().getBasePath() + "/oauth/callback");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	McpConnectorProblemHandler mcpConnectorProblemHandler() {
		return new McpConnectorProblemHandler();
	}

	/** Problem Details for connector exceptions that escape the host application's controllers. */
	@Bean
	@ConditionalOnMissingBean
	McpConnectorExceptionAdvice mcpConnectorExceptionAdvice() {
		return new McpConnectorExceptionAdvice();
	}

}
