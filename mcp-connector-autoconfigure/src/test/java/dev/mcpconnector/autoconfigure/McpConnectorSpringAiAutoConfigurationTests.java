package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.ai.McpToolCallbacks;
import dev.mcpconnector.execution.McpToolExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorSpringAiAutoConfiguration}: the current user's tools as Spring AI tool
 * callbacks when Spring AI is present, backing off.
 */
class McpConnectorSpringAiAutoConfigurationTests {

	private final ApplicationContextRunner ai = TestContextRunners.connector()
		.withConfiguration(AutoConfigurations.of(McpConnectorSpringAiAutoConfiguration.class));

	@Test
	void toolCallbacksWhenSpringAiPresentThenDefinedAndEmptyWithoutAUser() {
		this.ai.run((context) -> assertThat(context).hasSingleBean(McpToolCallbacks.class)
			.getBean(McpToolCallbacks.class)
			.satisfies((provider) -> assertThat(provider.getToolCallbacks()).as("no user, no tools").isEmpty()));
	}

	@Test
	void toolCallbacksAreNoToolCallbackProviderBean() {
		// Spring AI collects ToolCallbackProvider beans once into a shared resolver; per-user
		// callbacks must never end up there.
		this.ai.run((context) -> assertThat(context.getBeanNamesForType(ToolCallbackProvider.class)).isEmpty());
	}

	@Test
	void toolCallbacksWhenUserDefinedThenBacksOff() {
		this.ai.withUserConfiguration(CustomToolCallbacks.class)
			.run((context) -> assertThat(context.getBeanNamesForType(McpToolCallbacks.class))
				.containsExactly("customMcpToolCallbacks"));
	}

	@Test
	void toolCallbacksWhenDisabledThenAbsent() {
		this.ai.withPropertyValues("mcp.connector.spring-ai.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpToolCallbacks.class));
	}

	@Test
	void toolCallbacksWhenSpringAiAbsentThenAbsent() {
		this.ai.withClassLoader(new FilteredClassLoader(ToolCallbackProvider.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(McpToolCallbacks.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomToolCallbacks {

		@Bean
		McpToolCallbacks customMcpToolCallbacks(McpToolExecutor executor) {
			return new McpToolCallbacks(executor);
		}

	}

}
