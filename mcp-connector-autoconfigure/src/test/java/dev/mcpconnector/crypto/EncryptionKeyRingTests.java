package dev.mcpconnector.crypto;

import java.util.Base64;
import java.util.Map;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.crypto.InvalidEncryptionKeyException.Reason;
import dev.mcpconnector.test.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("fast")
class EncryptionKeyRingTests {

	@Test
	void fromBase64WhenNoKeysThenMissing() {
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing.fromBase64(Map.of(), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.MISSING));
	}

	@Test
	void fromBase64WhenKeyTooShortThenWrongLengthWithoutEchoingTheKey() {
		String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing.fromBase64(Map.of("k1", shortKey), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WRONG_LENGTH))
			.withMessageContaining("16 bytes")
			.withMessageNotContaining(shortKey);
	}

	@Test
	void fromBase64WhenNotBase64ThenNotBase64() {
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing.fromBase64(Map.of("k1", "not base64 !!"), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_BASE64));
	}

	@Test
	void fromBase64WhenSeveralKeysAndNoActiveThenNoActiveKey() {
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing
				.fromBase64(Map.of("k1", TestKeys.newBase64Key(), "k2", TestKeys.newBase64Key()), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NO_ACTIVE_KEY));
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing.fromBase64(Map.of("k1", TestKeys.newBase64Key()), "k9"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NO_ACTIVE_KEY));
	}

	@Test
	void fromBase64WhenKeyIdMalformedThenBadKeyId() {
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> EncryptionKeyRing.fromBase64(Map.of("k 1", TestKeys.newBase64Key()), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_KEY_ID));
	}

	@Test
	void fromBase64WhenUrlSafeThenAccepted() {
		byte[] raw = new byte[32];
		java.util.Arrays.fill(raw, (byte) 0xFB);
		String urlSafe = Base64.getUrlEncoder().encodeToString(raw);
		assertThat(urlSafe).contains("-");
		EncryptionKeyRing ring = EncryptionKeyRing.fromBase64(Map.of("k1", urlSafe), null);
		assertThat(ring.activeKeyId()).isEqualTo("k1");
	}

	@Test
	void invalidKeyAnswersAsInvalidEncryptionKeyWithoutItsMessage() {
		InvalidEncryptionKeyException ex = new InvalidEncryptionKeyException(Reason.MISSING, null, "no key");
		assertThat(ex.error()).isSameAs(McpConnectorErrorCode.INVALID_ENCRYPTION_KEY);
		assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(ex.getBody().getDetail()).isEqualTo(McpConnectorException.INTERNAL_DETAIL);
		assertThat(ex.keyId()).isNull();
	}

	@Test
	void aesGcmCipherFromBase64WhenKeyMalformedThenInvalidEncryptionKey() {
		assertThatExceptionOfType(InvalidEncryptionKeyException.class)
			.isThrownBy(() -> AesGcmSecretCipher.fromBase64(Map.of("k1", "not base64 !!"), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_BASE64));
		assertThat(AesGcmSecretCipher.fromBase64(Map.of("k1", TestKeys.newBase64Key()), null).activeKeyId())
			.isEqualTo("k1");
	}

}
