package dev.mcpconnector.crypto;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * A stored secret could not be decrypted: it was altered, moved to another row, or made with a
 * key this application no longer has. The message never contains ciphertext or plaintext.
 */
public class SecretDecryptionException extends McpConnectorException {

	public SecretDecryptionException(String message) {
		super(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED, message);
	}

	public SecretDecryptionException(String message, Throwable cause) {
		super(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED, message, cause);
	}

}
