package dev.mcpconnector.crypto;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/** A key cannot be retired: stored secrets are still encrypted with it. */
public class KeyStillInUseException extends McpConnectorException {

	private final long rows;

	public KeyStillInUseException(String keyId, long rows) {
		super(McpConnectorErrorCode.KEY_STILL_IN_USE, "Key '" + keyId + "' still encrypts " + rows + " stored secret(s); rotate first");
		this.rows = rows;
	}

	public long rows() {
		return this.rows;
	}

}
