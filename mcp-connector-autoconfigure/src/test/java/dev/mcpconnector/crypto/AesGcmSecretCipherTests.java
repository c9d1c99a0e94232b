package dev.mcpconnector.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.test.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("fast")
class AesGcmSecretCipherTests {

	private static final byte[] PLAINTEXT = "sentinel-access-token-4f1c".getBytes(StandardCharsets.UTF_8);

	private static final byte[] AD = AssociatedData.of("t.c", "row-1", "", "alice");

	@Test
	void decryptWhenEncryptedThenRoundTrips() {
		AesGcmSecretCipher cipher = cipher(Map.of("k1", TestKeys.newBase64Key()), null);
		byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
		assertThat(cipher.decrypt(ciphertext, AD)).isEqualTo(PLAINTEXT);
		assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("sentinel");
		assertThat(cipher.keyIdOf(ciphertext)).contains("k1");
	}

	@Test
	void encryptWhenRepeatedThenUsesFreshNonces() {
		AesGcmSecretCipher cipher = cipher(Map.of("k1", TestKeys.newBase64Key()), null);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			seen.add(java.util.HexFormat.of().formatHex(cipher.encrypt(PLAINTEXT, AD)));
		}
		assertThat(seen).hasSize(200);
	}

	@Test
	void decryptWhenAnyByteFlippedThenFailsWithTypedException() {
		AesGcmSecretCipher cipher = cipher(Map.of("k1", TestKeys.newBase64Key()), null);
		byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
		for (int i = 0; i < ciphertext.length; i++) {
			byte[] tampered = ciphertext.clone();
			tampered[i] ^= 0x01;
			assertThatExceptionOfType(McpConnectorException.class).as("flipped byte %d", i)
				.isThrownBy(() -> cipher.decrypt(tampered, AD))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED))
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("sentinel"));
		}
	}

	@Test
	void decryptWhenTruncatedOrEmptyThenFails() {
		AesGcmSecretCipher cipher = cipher(Map.of("k1", TestKeys.newBase64Key()), null);
		byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> cipher.decrypt(java.util.Arrays.copyOf(ciphertext, ciphertext.length - 1), AD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> cipher.decrypt(java.util.Arrays.copyOf(ciphertext, 10), AD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> cipher.decrypt(new byte[0], AD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
	}

	@Test
	void decryptWhenAssociatedDataDiffersThenFails() {
		AesGcmSecretCipher cipher = cipher(Map.of("k1", TestKeys.newBase64Key()), null);
		byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> cipher.decrypt(ciphertext, AssociatedData.of("t.c", "row-2", "", "alice")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> cipher.decrypt(ciphertext, AssociatedData.of("t.c", "row-1", "", "bob")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> cipher.decrypt(ciphertext, AssociatedData.of("t.other", "row-1", "", "alice")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
	}

	@Test
	void associatedDataWhenPartsShiftThenDiffers() {
		assertThat(AssociatedData.of("p", "ab", "c")).isNotEqualTo(AssociatedData.of("p", "a", "bc"));
		assertThat(AssociatedData.of("p", "a", "")).isNotEqualTo(AssociatedData.of("p", "a"));
	}

	@Test
	void decryptWhenKeyRotatedThenOldCiphertextsStillReadAndNewOnesUseNewKey() {
		String k1 = TestKeys.newBase64Key();
		AesGcmSecretCipher before = cipher(Map.of("k1", k1), null);
		byte[] old = before.encrypt(PLAINTEXT, AD);

		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k1", k1);
		keys.put("k2", TestKeys.newBase64Key());
		AesGcmSecretCipher after = cipher(keys, "k2");
		assertThat(after.decrypt(old, AD)).isEqualTo(PLAINTEXT);
		byte[] fresh = after.encrypt(PLAINTEXT, AD);
		assertThat(after.keyIdOf(fresh)).contains("k2");
		assertThat(after.keyIdOf(old)).contains("k1");

		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> before.decrypt(fresh, AD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED))
			.withMessageContaining("'k2'")
			.withMessageContaining("not configured");
	}

	@Test
	void decryptWhenKeyIdRewrittenToAnotherKnownKeyThenFails() {
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k1", TestKeys.newBase64Key());
		keys.put("k2", TestKeys.newBase64Key());
		AesGcmSecretCipher cipher = cipher(keys, "k1");
		byte[] ciphertext = cipher.encrypt(PLAINTEXT, AD);
		ciphertext[3] = '2';
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> cipher.decrypt(ciphertext, AD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED));
	}

	@Test
	void toStringWhenPrintedThenShowsNoKeyMaterial() {
		String key = TestKeys.newBase64Key();
		AesGcmSecretCipher cipher = cipher(Map.of("k1", key), null);
		assertThat(cipher.toString()).contains("k1").doesNotContain(key);
	}

	private static AesGcmSecretCipher cipher(Map<String, String> keys, String active) {
		return new AesGcmSecretCipher(EncryptionKeyRing.fromBase64(keys, active));
	}

}
