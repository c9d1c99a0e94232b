package dev.mcpconnector.web;

import dev.mcpconnector.autoconfigure.McpConnectorWebAutoConfiguration;
import dev.mcpconnector.autoconfigure.TestContextRunners;

import java.util.List;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.usage.UsageService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorWebAutoConfiguration}: the REST API in servlet applications, each bean
 * backing off.
 */
class McpConnectorWebAutoConfigurationTests {

	private final WebApplicationContextRunner web = TestContextRunners.web()
		.withConfiguration(AutoConfigurations.of(McpConnectorWebAutoConfiguration.class));

	@Test
	void webBeansWhenServletAppThenPresent() {
		this.web.run((context) -> assertThat(context).hasSingleBean(McpConnectionController.class)
			.hasSingleBean(McpAuthorizationController.class)
			.hasSingleBean(McpApprovalController.class)
			.hasSingleBean(McpAuditController.class)
			.hasSingleBean(McpConnectorProblemHandler.class)
			.hasSingleBean(McpConnectorExceptionAdvice.class)
			.hasBean("mcpConnectorCallbackQueryRedactingFilter"));
	}

	@Test
	void webBeansWhenNotAWebApplicationThenAbsent() {
		TestContextRunners.connector()
			.withConfiguration(AutoConfigurations.of(McpConnectorWebAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(McpConnectionController.class));
	}

	@Test
	void webBeansWhenUserDefinedThenBackOff() {
		this.web.withUserConfiguration(CustomWebBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : List.of(McpConnectionController.class, McpConnectorProblemHandler.class,
					McpAuthorizationController.class, WebPaths.class)) {
				assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName())
					.containsExactly("custom" + type.getSimpleName());
			}
		});
	}

	@Test
	void approvalControllerWhenUserDefinedThenBacksOff() {
		this.web.withUserConfiguration(CustomApprovalController.class)
			.run((context) -> assertThat(context.getBeanNamesForType(McpApprovalController.class))
				.containsExactly("customApprovalController"));
	}

	@Test
	void auditControllerWhenUserDefinedThenBacksOff() {
		this.web.withUserConfiguration(CustomAuditController.class)
			.run((context) -> assertThat(context.getBeanNamesForType(McpAuditController.class))
				.containsExactly("customAuditController"));
	}

	@Test
	void exceptionAdviceWhenUserDefinedThenBacksOff() {
		this.web.withBean("customExceptionAdvice", McpConnectorExceptionAdvice.class, McpConnectorExceptionAdvice::new)
			.run((context) -> assertThat(context.getBeanNamesForType(McpConnectorExceptionAdvice.class))
				.containsExactly("customExceptionAdvice"));
	}

	@Test
	void callbackQueryRedactingFilterIsRegisteredOnTheCallbackPath() {
		this.web.withPropertyValues("mcp.connector.web.base-path=/connector")
			.run((context) -> assertThat(context.getBean("mcpConnectorCallbackQueryRedactingFilter",
					FilterRegistrationBean.class)
				.getUrlPatterns()).containsExactly("/connector/oauth/callback"));
	}

	@Test
	void callbackQueryRedactingFilterWhenUserDefinedByNameThenBacksOff() {
		FilterRegistrationBean<CallbackQueryRedactingFilter> custom = new FilterRegistrationBean<>(
				new CallbackQueryRedactingFilter());
		this.web.withBean("mcpConnectorCallbackQueryRedactingFilter", FilterRegistrationBean.class, () -> custom)
			.run((context) -> assertThat(context.getBean("mcpConnectorCallbackQueryRedactingFilter")).isSameAs(custom));
	}

	@Test
	void webSettingsWhenUserDefinedThenBackOffAndTheApiUsesThem() {
		McpConnectorWebSettings custom = new McpConnectorWebSettings("/custom-api", null, "/", null, "custom", null,
				null);
		this.web.withBean("customWebSettings", McpConnectorWebSettings.class, () -> custom)
			.run((context) -> {
				assertThat(context.getBeanNamesForType(McpConnectorWebSettings.class))
					.containsExactly("customWebSettings");
				assertThat(context.getBean("mcpConnectorCallbackQueryRedactingFilter", FilterRegistrationBean.class)
					.getUrlPatterns()).containsExactly("/custom-api/oauth/callback");
			});
	}

	@Test
	void exceptionAdviceWhenRestApiDisabledThenStillAnswersForHostControllers() {
		this.web.withPropertyValues("mcp.connector.web.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(McpConnectorExceptionAdvice.class)
				.doesNotHaveBean(McpConnectorProblemHandler.class)
				.doesNotHaveBean(WebPaths.class));
	}

	@Test
	void webBeansWhenDisabledThenAbsent() {
		this.web.withPropertyValues("mcp.connector.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectionController.class));
	}

	@Test
	void webBeansWhenSpringMvcAbsentThenAbsent() {
		this.web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectionController.class));
	}

	@Test
	void contextWhenBasePathInvalidThenFailsNamingTheProperty() {
		this.web.withPropertyValues("mcp.connector.web.base-path=api/mcp/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mcp.connector.web.base-path must start with '/'"));
	}

	@Test
	void contextWhenRedirectUriRelativeThenFailsNamingTheProperty() {
		this.web.withPropertyValues("mcp.connector.authorization.redirect-uri=/callback")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mcp.connector.authorization.redirect-uri must be an absolute URL"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomWebBeans {

		@Bean
		WebPaths customWebPaths() {
			return new WebPaths("/custom", null, "/");
		}

		@Bean
		McpConnectionController customMcpConnectionController(McpConnectionService connections,
				McpAuthorizationService authorization, McpToolExecutor executor, WebPaths paths, OwnerResolver owners) {
			return new McpConnectionController(connections, authorization, executor, paths, owners);
		}

		@Bean
		McpAuthorizationController customMcpAuthorizationController(McpAuthorizationService authorization,
				WebPaths paths, OwnerResolver owners) {
			return new McpAuthorizationController(authorization, paths, owners, null, "custom");
		}

		@Bean
		McpConnectorProblemHandler customMcpConnectorProblemHandler() {
			return new McpConnectorProblemHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomApprovalController {

		@Bean
		McpApprovalController customApprovalController(ApprovalService approvals, OwnerResolver owners) {
			return new McpApprovalController(approvals, owners, "ROLE_APPROVER");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomAuditController {

		@Bean
		McpAuditController customAuditController(AuditQuery audit, UsageService usage, OwnerResolver owners) {
			return new McpAuditController(audit, usage, owners, "ROLE_AUDITOR", null);
		}

	}

}
