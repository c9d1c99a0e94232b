package dev.mcpconnector.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.util.Assert;

/**
 * AES-256-GCM with 96-bit random nonces and 128-bit tags, through the JDK's JCA.
 * <p>
 * Ciphertext layout (format version 1):
 *
 * <pre>
 * byte      version (0x01)
 * byte      n = length of the key id
 * n bytes   key id (UTF-8)
 * 12 bytes  nonce
 * rest      AES-GCM ciphertext followed by its 16-byte tag
 * </pre>
 *
 * The header (version and key id) is authenticated together with the caller's associated data,
 * so neither can be changed without the tag failing.
 */
public final class AesGcmSecretCipher implements SecretCipher {

	/** The only ciphertext format version this class writes. */
	public static final byte FORMAT_VERSION = 1;

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private final EncryptionKeyRing keyRing;

	private final SecureRandom random;

	AesGcmSecretCipher(EncryptionKeyRing keyRing) {
		this(keyRing, new SecureRandom());
	}

	AesGcmSecretCipher(EncryptionKeyRing keyRing, SecureRandom random) {
		Assert.notNull(keyRing, "keyRing cannot be null");
		Assert.notNull(random, "random cannot be null");
		this.keyRing = keyRing;
		this.random = random;
	}

	/**
	 * A cipher over base64-encoded AES-256 keys, as {@code mcp.connector.encryption.*}
	 * configures them.
	 * @param base64Keys key id to base64 (standard or URL-safe) key material of
	 * {@value EncryptionKeyRing#KEY_LENGTH} bytes
	 * @param activeKeyId the id of the key new ciphertexts use; may be {@code null} when
	 * exactly one key is given
	 * @return the cipher
	 * @throws McpConnectorException {@code invalid-encryption-key} when no key is given, a key
	 * is not 32 bytes of base64, an id is malformed, or the active id names no key (the message
	 * never holds key material)
	 */
	public static AesGcmSecretCipher fromBase64(Map<String, String> base64Keys, String activeKeyId) {
		return new AesGcmSecretCipher(EncryptionKeyRing.fromBase64(base64Keys, activeKeyId));
	}

	@Override
	public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
		Assert.notNull(plaintext, "plaintext cannot be null");
		Assert.notNull(associatedData, "associatedData cannot be null");
		String keyId = this.keyRing.activeKeyId();
		byte[] header = header(keyId);
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, this.keyRing.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(header);
			cipher.updateAAD(associatedData);
			byte[] sealed = cipher.doFinal(plaintext);
			return ByteBuffer.allocate(header.length + NONCE_LENGTH + sealed.length)
				.put(header)
				.put(nonce)
				.put(sealed)
				.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM encryption is unavailable: " + ex.getClass().getSimpleName(),
					ex);
		}
	}

	@Override
	public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
		Assert.notNull(associatedData, "associatedData cannot be null");
		Parsed parsed = parse(ciphertext);
		SecretKey key = this.keyRing.key(parsed.keyId());
		if (key == null) {
			String shown = parsed.keyId().matches("[A-Za-z0-9._-]{1,64}") ? "'" + parsed.keyId() + "'" : "an unreadable id";
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret was encrypted with key " + shown + ", which is not configured");
		}
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key,
					new GCMParameterSpec(TAG_BITS, ciphertext, parsed.headerLength(), NONCE_LENGTH));
			cipher.updateAAD(ciphertext, 0, parsed.headerLength());
			cipher.updateAAD(associatedData);
			int offset = parsed.headerLength() + NONCE_LENGTH;
			return cipher.doFinal(ciphertext, offset, ciphertext.length - offset);
		}
		catch (AEADBadTagException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret failed authentication: it was altered or does not belong to this row");
		}
		catch (GeneralSecurityException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret could not be decrypted: " + ex.getClass().getSimpleName());
		}
	}

	@Override
	public Optional<String> keyIdOf(byte[] ciphertext) {
		return Optional.of(parse(ciphertext).keyId());
	}

	private static byte[] header(String keyId) {
		byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
		byte[] header = new byte[2 + id.length];
		header[0] = FORMAT_VERSION;
		header[1] = (byte) id.length;
		System.arraycopy(id, 0, header, 2, id.length);
		return header;
	}

	private static Parsed parse(byte[] ciphertext) {
		if (ciphertext == null || ciphertext.length < 2) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret is not a valid ciphertext: too short");
		}
		if (ciphertext[0] != FORMAT_VERSION) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret has unknown ciphertext format version " + ciphertext[0]);
		}
		int idLength = ciphertext[1] & 0xFF;
		int headerLength = 2 + idLength;
		if (idLength == 0 || ciphertext.length < headerLength + NONCE_LENGTH + TAG_BITS / 8) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"Secret is not a valid ciphertext: truncated");
		}
		String keyId = new String(ciphertext, 2, idLength, StandardCharsets.UTF_8);
		return new Parsed(keyId, headerLength);
	}

	/**
	 * The id of the key new ciphertexts use.
	 * @return the active key id
	 */
	public String activeKeyId() {
		return this.keyRing.activeKeyId();
	}

	@Override
	public String toString() {
		return "AesGcmSecretCipher[" + this.keyRing + "]";
	}

	private record Parsed(String keyId, int headerLength) {
	}

}
