package dev.mcpconnector.crypto;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a missing or malformed encryption key at start-up, and how to make one. It lives
 * beside the key ring, whose reasons it reads; {@code META-INF/spring.factories} registers it.
 */
class InvalidEncryptionKeyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEncryptionKeyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEncryptionKeyException cause) {
		String description = "mcp-connector cannot encrypt stored tokens: " + cause.getMessage() + ".";
		String action = switch (cause.reason()) {
			case MISSING, NOT_BASE64, WRONG_LENGTH -> """
					Configure an AES-256 key of %d random bytes, base64-encoded, under an id of your choice, \
					for example:

					    mcp.connector.encryption.keys.k1=<output of 'openssl rand -base64 32'>

					or, from the environment, MCP_CONNECTOR_ENCRYPTION_KEYS_K1=<key>. Keep the key out of \
					source control. To keep keys in a KMS or Vault instead, define a bean of type \
					dev.mcpconnector.crypto.SecretCipher.""".formatted(EncryptionKeyRing.KEY_LENGTH);
			case BAD_KEY_ID -> "Rename the key: ids may use letters, digits, '.', '_' and '-' (at most 64).";
			case NO_ACTIVE_KEY -> """
					Set mcp.connector.encryption.active-key-id to the id of the key that should encrypt new \
					secrets; it must be one of the ids under mcp.connector.encryption.keys.""";
		};
		return new FailureAnalysis(description, action, cause);
	}

}
