package dev.mcpconnector.discovery;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * Metadata discovery failed or produced metadata that must not be used. The error code says
 * which: {@code discovery-failed}, {@code resource-metadata-mismatch}, {@code issuer-mismatch},
 * {@code pkce-unsupported}, {@code insecure-endpoint}. Messages never echo a fetched body.
 */
public class DiscoveryException extends McpConnectorException {

	public DiscoveryException(McpConnectorErrorCode errorCode, String message) {
		super(errorCode, message);
	}

	public static DiscoveryException failed(String message) {
		return new DiscoveryException(McpConnectorErrorCode.DISCOVERY_FAILED, message);
	}

}
