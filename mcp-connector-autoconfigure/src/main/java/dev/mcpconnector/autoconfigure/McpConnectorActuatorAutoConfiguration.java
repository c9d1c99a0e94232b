package dev.mcpconnector.autoconfigure;

import java.util.regex.Pattern;

import dev.mcpconnector.actuate.McpConnectorActuateConfigurations;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Actuator integration: mcp-connector's encryption keys and client secrets are masked in
 * {@code /actuator/env} and {@code /actuator/configprops} even when an application shows
 * values there ({@code management.endpoint.env.show-values=always}); and the
 * {@code mcpconnectorkeys} endpoint.
 */
@AutoConfiguration(after = McpConnectorAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
@Import(McpConnectorActuateConfigurations.KeysEndpoint.class)
public final class McpConnectorActuatorAutoConfiguration {

	/** Property names (any relaxed form) that hold mcp-connector secrets. */
	static final Pattern SECRET_KEYS = Pattern
		.compile("(?i).*(mcp[._-]?connector[._-]?encryption[._-]?keys|encryption\\.keys|client[._-]?secret).*");

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorSanitizingFunction")
	SanitizingFunction mcpConnectorSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyMatches(SECRET_KEYS);
	}

}
