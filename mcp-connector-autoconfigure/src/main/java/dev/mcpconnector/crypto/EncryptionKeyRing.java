package dev.mcpconnector.crypto;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A set of AES-256 keys, each with an id, one of them active. New ciphertexts use the active
 * key; ciphertexts under any other key of the ring still decrypt, which is what makes rotation
 * possible: add a key, make it active, and older rows keep reading.
 * <p>
 * {@link #toString()} names the key ids only, never key material.
 */
final class EncryptionKeyRing {

	/** Length of an AES-256 key in bytes. */
	static final int KEY_LENGTH = 32;

	private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final Map<String, SecretKey> keys;

	private final String activeKeyId;

	private EncryptionKeyRing(Map<String, SecretKey> keys, String activeKeyId) {
		this.keys = Collections.unmodifiableMap(keys);
		this.activeKeyId = activeKeyId;
	}

	/**
	 * Build a key ring from base64-encoded keys.
	 * @param base64Keys key id to base64 (standard or URL-safe) key material of 32 bytes
	 * @param activeKeyId the id of the key new ciphertexts use; may be {@code null} when the
	 * ring holds exactly one key
	 * @return the key ring
	 * @throws InvalidEncryptionKeyException when no key is given, a key is not 32 bytes of
	 * base64, an id is malformed, or the active id is not in the ring
	 */
	static EncryptionKeyRing fromBase64(Map<String, String> base64Keys, String activeKeyId) {
		if (base64Keys == null || base64Keys.isEmpty()) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.MISSING, null,
					"No encryption key is configured");
		}
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		base64Keys.forEach((id, value) -> keys.put(id, decode(id, value)));
		return of(keys, activeKeyId);
	}

	/**
	 * Build a key ring from key material.
	 * @param keys key id to AES key of 32 bytes
	 * @param activeKeyId the active key id, or {@code null} when the ring holds one key
	 * @return the key ring
	 */
	static EncryptionKeyRing of(Map<String, SecretKey> keys, String activeKeyId) {
		if (keys == null || keys.isEmpty()) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.MISSING, null,
					"No encryption key is configured");
		}
		Map<String, SecretKey> copy = new LinkedHashMap<>();
		keys.forEach((id, key) -> {
			checkId(id);
			if (key == null || key.getEncoded() == null || key.getEncoded().length != KEY_LENGTH) {
				throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.WRONG_LENGTH, id,
						"Encryption key '" + id + "' must be " + KEY_LENGTH + " bytes (AES-256)");
			}
			copy.put(id, key);
		});
		String active = activeKeyId;
		if (active == null || active.isBlank()) {
			if (copy.size() != 1) {
				throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.NO_ACTIVE_KEY, null,
						"Several encryption keys are configured but none is marked active");
			}
			active = copy.keySet().iterator().next();
		}
		if (!copy.containsKey(active)) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.NO_ACTIVE_KEY, active,
					"The active encryption key id '" + active + "' is not among the configured keys "
							+ copy.keySet());
		}
		return new EncryptionKeyRing(copy, active);
	}

	private static SecretKey decode(String id, String value) {
		checkId(id);
		if (value == null || value.isBlank()) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.MISSING, id,
					"Encryption key '" + id + "' is empty");
		}
		byte[] material;
		String trimmed = value.trim();
		try {
			material = (trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0)
					? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.NOT_BASE64, id,
					"Encryption key '" + id + "' is not valid base64");
		}
		if (material.length != KEY_LENGTH) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.WRONG_LENGTH, id,
					"Encryption key '" + id + "' decodes to " + material.length + " bytes; AES-256 needs "
							+ KEY_LENGTH);
		}
		return new SecretKeySpec(material, "AES");
	}

	private static void checkId(String id) {
		if (id == null || !KEY_ID.matcher(id).matches()) {
			throw new InvalidEncryptionKeyException(InvalidEncryptionKeyException.Reason.BAD_KEY_ID, null,
					"Encryption key ids must match " + KEY_ID.pattern());
		}
	}

	/**
	 * The id of the key new ciphertexts use.
	 * @return the active key id
	 */
	String activeKeyId() {
		return this.activeKeyId;
	}

	SecretKey activeKey() {
		return this.keys.get(this.activeKeyId);
	}

	SecretKey key(String id) {
		return this.keys.get(id);
	}

	/**
	 * The ids of every key in the ring.
	 * @return the key ids
	 */
	Set<String> keyIds() {
		return this.keys.keySet();
	}

	@Override
	public String toString() {
		return "EncryptionKeyRing[keyIds=" + this.keys.keySet() + ", activeKeyId=" + this.activeKeyId + "]";
	}

}
