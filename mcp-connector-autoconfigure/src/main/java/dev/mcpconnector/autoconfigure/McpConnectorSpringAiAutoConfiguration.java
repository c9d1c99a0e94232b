package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.ai.McpToolCallbacks;
import dev.mcpconnector.execution.McpToolExecutor;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The current user's MCP tools as Spring AI tool callbacks ({@link McpToolCallbacks}), when Spring AI is
 * on the classpath. Every tool call goes through the {@link McpToolExecutor}.
 */
@AutoConfiguration(after = McpConnectorAutoConfiguration.class)
@ConditionalOnClass(ToolCallbackProvider.class)
@ConditionalOnBean(McpToolExecutor.class)
@ConditionalOnBooleanProperty(name = "mcp.connector.spring-ai.enabled", matchIfMissing = true)
public final class McpConnectorSpringAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpToolCallbacks mcpToolCallbacks(McpToolExecutor executor) {
		return new McpToolCallbacks(executor);
	}

}
