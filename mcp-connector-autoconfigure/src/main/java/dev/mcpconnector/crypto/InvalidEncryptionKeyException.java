package dev.mcpconnector.crypto;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * The encryption keys are missing or malformed. Thrown while the application starts; a
 * failure analyzer turns it into instructions for generating a key. Never carries key
 * material.
 */
final class InvalidEncryptionKeyException extends McpConnectorException {

	/** What is wrong with the configured keys. */
	enum Reason {

		/** No key at all, or an empty one. */
		MISSING,
		/** A value that is not base64. */
		NOT_BASE64,
		/** A key that is not 32 bytes. */
		WRONG_LENGTH,
		/** A key id with characters outside {@code [A-Za-z0-9._-]}. */
		BAD_KEY_ID,
		/** The active key id is unset while several keys exist, or names no configured key. */
		NO_ACTIVE_KEY

	}

	private final Reason reason;

	private final String keyId;

	InvalidEncryptionKeyException(Reason reason, String keyId, String message) {
		super(McpConnectorErrorCode.INVALID_ENCRYPTION_KEY, message);
		this.reason = reason;
		this.keyId = keyId;
	}

	Reason reason() {
		return this.reason;
	}

	/**
	 * The id of the offending key, if one is known.
	 * @return the key id or {@code null}
	 */
	String keyId() {
		return this.keyId;
	}

}
