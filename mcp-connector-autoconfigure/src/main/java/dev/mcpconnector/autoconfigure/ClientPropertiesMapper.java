package dev.mcpconnector.autoconfigure;

import dev.mcpconnector.execution.McpClientSettings;

import org.springframework.util.Assert;

/**
 * Maps {@link ClientProperties} to the settings of sessions with MCP servers.
 */
final class ClientPropertiesMapper {

	private final ClientProperties properties;

	ClientPropertiesMapper(ClientProperties properties) {
		Assert.notNull(properties, "properties cannot be null");
		this.properties = properties;
	}

	McpClientSettings asMcpClientSettings() {
		ClientProperties client = this.properties;
		// validated to fit an int when bound
		int maxResponseBytes = Math.toIntExact(client.getMaxResponseSize().toBytes());
		return new McpClientSettings(client.getName(), client.getVersion(), client.getConnectTimeout(),
				client.getRequestTimeout(), client.getMaxSessions(), client.getIdleTimeout(), maxResponseBytes, null,
				client.getMaxSessionsPerOwner(), client.getMaxConcurrentCallsPerOwner());
	}

}
