package dev.mcpconnector.crypto;

import java.util.Optional;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

/**
 * Authenticated encryption of stored secrets (tokens, verifiers, client secrets).
 * <p>
 * The {@code associatedData} is authenticated but not encrypted: callers pass a value that
 * names the row and column a secret belongs to (see {@link #associatedData(String, String...)}),
 * so that a ciphertext copied into another row, another column or another user's row fails to
 * decrypt. Implementations must fail with a {@link McpConnectorException} of
 * {@link McpConnectorErrorCode#SECRET_DECRYPTION_FAILED} whenever a ciphertext or its
 * associated data was altered.
 * <p>
 * The default implementation is {@link AesGcmSecretCipher}; applications that keep their keys
 * in a KMS or Vault provide their own bean of this type.
 */
public interface SecretCipher {

	/**
	 * Encrypt under the currently active key.
	 * @param plaintext the secret
	 * @param associatedData data the ciphertext is bound to
	 * @return the ciphertext, carrying whatever the implementation needs to decrypt it later
	 */
	byte[] encrypt(byte[] plaintext, byte[] associatedData);

	/**
	 * Decrypt a ciphertext produced by {@link #encrypt(byte[], byte[])}.
	 * @param ciphertext the ciphertext
	 * @param associatedData the same associated data used to encrypt
	 * @return the plaintext
	 * @throws McpConnectorException {@code secret-decryption-failed} if the ciphertext or
	 * associated data was altered, or the key is unknown
	 */
	byte[] decrypt(byte[] ciphertext, byte[] associatedData);

	/**
	 * The id of the key a ciphertext was made with, when the format records one.
	 * @param ciphertext a ciphertext
	 * @return the key id, or empty when the format carries none
	 */
	default Optional<String> keyIdOf(byte[] ciphertext) {
		return Optional.empty();
	}

	/**
	 * The associated data that binds a ciphertext to the place it is stored: a purpose (table
	 * and column) and the parts that identify the row (its id, its owner). Every part is
	 * length-prefixed, so no two different lists of parts produce the same bytes.
	 * @param purpose the table and column, such as {@code mcp_connection_credentials.access_token}
	 * @param rowParts the values that identify the row, in a fixed order
	 * @return the associated data
	 */
	static byte[] associatedData(String purpose, String... rowParts) {
		return AssociatedData.of(purpose, rowParts);
	}

}
