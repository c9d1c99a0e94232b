package dev.mcpconnector.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorActuatorAutoConfiguration}: secrets masked in Actuator, and the keys
 * endpoint, each backing off.
 */
class McpConnectorActuatorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = TestContextRunners.web()
		.withConfiguration(AutoConfigurations.of(McpConnectorActuatorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=mcpconnectorkeys");

	@Test
	void sanitizingFunctionWhenActuatorPresentThenMasksKeysAndClientSecrets() {
		this.contextRunner.run((context) -> {
			SanitizingFunction function = context.getBean("mcpConnectorSanitizingFunction", SanitizingFunction.class);
			assertThat(masked(function, "mcp.connector.encryption.keys.k1")).isTrue();
			assertThat(masked(function, "MCP_CONNECTOR_REGISTRATION_CLIENTS_CORP_CLIENT_SECRET")).isTrue();
			assertThat(masked(function, "mcp.connector.web.base-path")).isFalse();
		});
	}

	@Test
	void sanitizingFunctionWhenUserDefinedByNameThenBacksOff() {
		SanitizingFunction custom = (data) -> data;
		this.contextRunner.withBean("mcpConnectorSanitizingFunction", SanitizingFunction.class, () -> custom)
			.run((context) -> assertThat(context.getBean("mcpConnectorSanitizingFunction")).isSameAs(custom));
	}

	@Test
	void keysEndpointWhenExposedThenDefined() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("mcpConnectorKeysEndpoint"));
	}

	@Test
	void keysEndpointWhenNotExposedThenAbsent() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean("mcpConnectorKeysEndpoint"));
	}

	@Test
	void actuatorBeansWhenActuatorAbsentThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("mcpConnectorSanitizingFunction")
				.doesNotHaveBean("mcpConnectorKeysEndpoint"));
	}

	/** Whether the endpoints would show the value of this key masked (the filter decides, then apply). */
	private static boolean masked(SanitizingFunction function, String key) {
		SanitizableData data = new SanitizableData(null, key, "value");
		return function.filter().test(data) && SanitizableData.SANITIZED_VALUE.equals(function.apply(data).getValue());
	}

}
