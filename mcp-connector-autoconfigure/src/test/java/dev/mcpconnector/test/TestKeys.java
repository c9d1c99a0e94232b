package dev.mcpconnector.test;

import java.security.SecureRandom;
import java.util.Base64;

/** Random AES-256 keys for tests, base64-encoded as the properties expect them. */
public final class TestKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private TestKeys() {
	}

	public static String newBase64Key() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
