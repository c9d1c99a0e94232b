package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Maps {@link EgressProperties} to the egress policy and the guarded HTTP client.
 */
final class EgressPropertiesMapper {

	private static final Logger logger = LoggerFactory.getLogger(EgressPropertiesMapper.class);

	private final EgressProperties properties;

	EgressPropertiesMapper(EgressProperties properties) {
		Assert.notNull(properties, "properties cannot be null");
		this.properties = properties;
	}

	EgressPolicy asEgressPolicy() {
		if (this.properties.isAllowInsecureLoopback()) {
			logger.warn("mcp.connector.egress.allow-insecure-loopback is on: plain http to loopback addresses is"
					+ " allowed. Use it for development and tests only.");
		}
		return new EgressPolicy(this.properties.isAllowInsecureLoopback(), this.properties.getAllowedHosts());
	}

	EgressHttpClient asEgressHttpClient(EgressPolicy policy) {
		return new EgressHttpClient(policy, this.properties.getConnectTimeout(), this.properties.getReadTimeout(),
				this.properties.getMaxResponseSize().toBytes(), this.properties.getMaxRedirects());
	}

}
