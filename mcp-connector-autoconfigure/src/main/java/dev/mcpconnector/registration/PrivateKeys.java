package dev.mcpconnector.registration;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** Reads a PKCS#8 PEM private key (EC or RSA) for {@code private_key_jwt}. */
final class PrivateKeys {

	private PrivateKeys() {
	}

	/**
	 * Parse a PKCS#8 PEM key.
	 * @param pem the key, {@code -----BEGIN PRIVATE KEY-----} …
	 * @return the key
	 * @throws IllegalArgumentException when it is neither an EC nor an RSA PKCS#8 key (the
	 * message never contains key material)
	 */
	static PrivateKey fromPem(String pem) {
		if (pem == null || pem.isBlank()) {
			throw new IllegalArgumentException("The private key is empty");
		}
		byte[] der;
		try {
			der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The private key is not PEM");
		}
		for (String algorithm : List.of("EC", "RSA")) {
			try {
				return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
			}
			catch (Exception ex) {
				// try the next algorithm
			}
		}
		throw new IllegalArgumentException("The private key is neither an EC nor an RSA PKCS#8 key");
	}

}
