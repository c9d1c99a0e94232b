package dev.mcpconnector.autoconfigure;

import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Actuator integration: mcp-connector's encryption keys and client secrets are masked in
 * {@code /actuator/env} and {@code /actuator/configprops} even when an application shows
 * values there ({@code management.endpoint.env.show-values=always}).
 */
@AutoConfiguration(after = McpConnectorAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
public final class McpConnectorActuatorAutoConfiguration {

	/** Property names (any relaxed form) that hold mcp-connector secrets. */
	static final Pattern SECRET_KEYS = Pattern
		.compile("(?i).*(mcp[._-]?connector[._-]?encryption[._-]?keys|encryption\\.keys|client[._-]?secret).*");

	@Bean
	@ConditionalOnMissingBean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnBean({ dev.mcpconnector.jpa.JpaKeyRotation.class,
			dev.mcpconnector.crypto.AesGcmSecretCipher.class })
	@org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint
	dev.mcpconnector.actuate.McpConnectorKeysEndpoint mcpConnectorKeysEndpoint(dev.mcpconnector.jpa.JpaKeyRotation rotation,
			dev.mcpconnector.crypto.AesGcmSecretCipher cipher) {
		return new dev.mcpconnector.actuate.McpConnectorKeysEndpoint(rotation, cipher.activeKeyId());
	}

	@Bean
	@ConditionalOnMissingBean(name = "mcpConnectorSanitizingFunction")
	SanitizingFunction mcpConnectorSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyMatches(SECRET_KEYS);
	}

}
