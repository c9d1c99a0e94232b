package dev.mcpconnector.connection;

import java.time.Duration;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

/**
 * Per-connection overrides of the application's session settings; {@code null} means the
 * application's default.
 *
 * @param connectTimeout TCP connect timeout to this server
 * @param maxResponseBytes the largest MCP response accepted from this server
 */
public record ConnectionLimits(Duration connectTimeout, Long maxResponseBytes) {

	/** No overrides. */
	public static final ConnectionLimits DEFAULTS = new ConnectionLimits(null, null);

	public ConnectionLimits {
		if (connectTimeout != null && (connectTimeout.compareTo(Duration.ofMillis(100)) < 0
				|| connectTimeout.compareTo(Duration.ofMinutes(2)) > 0)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "connectTimeout must be between 100 ms and 2 minutes");
		}
		if (maxResponseBytes != null && (maxResponseBytes < 1024 || maxResponseBytes > Integer.MAX_VALUE)) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "maxResponseBytes must be between 1 KiB and 2 GiB");
		}
	}

}
