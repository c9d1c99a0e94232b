package dev.mcpconnector.crypto;

import java.util.Optional;

/**
 * Authenticated encryption of stored secrets (tokens, verifiers, client secrets).
 * <p>
 * The {@code associatedData} is authenticated but not encrypted: callers pass a value that
 * names the row and column a secret belongs to (see {@link AssociatedData}), so that a
 * ciphertext copied into another row, another column or another user's row fails to decrypt.
 * Implementations must fail with {@link SecretDecryptionException} whenever a ciphertext or
 * its associated data was altered.
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
	 * @throws SecretDecryptionException if the ciphertext or associated data was altered, or
	 * the key is unknown
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

}
