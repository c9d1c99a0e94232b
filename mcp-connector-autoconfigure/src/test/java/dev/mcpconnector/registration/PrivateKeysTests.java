package dev.mcpconnector.registration;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link PrivateKeys}: PKCS#8 PEM keys for {@code private_key_jwt}, and refusals without key material. */
@Tag("fast")
class PrivateKeysTests {

	private static KeyPair ec;

	private static KeyPair rsa;

	@BeforeAll
	static void generate() throws Exception {
		KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
		ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
		ec = ecGenerator.generateKeyPair();
		KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
		rsaGenerator.initialize(2048);
		rsa = rsaGenerator.generateKeyPair();
	}

	@Test
	void fromPemWhenEcPkcs8ThenTheSameKey() {
		PrivateKey key = PrivateKeys.fromPem(pem("PRIVATE KEY", ec.getPrivate().getEncoded(), "\n"));
		assertThat(key.getAlgorithm()).isEqualTo("EC");
		assertThat(key.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
	}

	@Test
	void fromPemWhenRsaPkcs8ThenTheSameKey() {
		PrivateKey key = PrivateKeys.fromPem(pem("PRIVATE KEY", rsa.getPrivate().getEncoded(), "\n"));
		assertThat(key.getAlgorithm()).isEqualTo("RSA");
		assertThat(key.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
	}

	@Test
	void fromPemWhenCrlfLinesIndentationOrNoArmourThenStillRead() {
		byte[] der = ec.getPrivate().getEncoded();
		assertThat(PrivateKeys.fromPem(pem("PRIVATE KEY", der, "\r\n")).getEncoded()).isEqualTo(der);
		assertThat(PrivateKeys.fromPem("  " + pem("PRIVATE KEY", der, "\n    ") + "\n\n").getEncoded()).isEqualTo(der);
		assertThat(PrivateKeys.fromPem(Base64.getEncoder().encodeToString(der)).getEncoded()).isEqualTo(der);
	}

	@Test
	void fromPemWhenEmptyThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PrivateKeys.fromPem(null)).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> PrivateKeys.fromPem(" \n ")).withMessageContaining("empty");
	}

	@Test
	void fromPemWhenNotBase64ThenRefusedAsNotPem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrivateKeys.fromPem("-----BEGIN PRIVATE KEY-----\n*** not base64 ***\n-----END PRIVATE KEY-----"))
			.withMessage("The private key is not PEM");
	}

	@Test
	void fromPemWhenPublicKeyThenRefusedWithoutEchoingIt() {
		String encoded = Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrivateKeys.fromPem(pem("PUBLIC KEY", rsa.getPublic().getEncoded(), "\n")))
			.withMessage("The private key is neither an EC nor an RSA PKCS#8 key")
			.withMessageNotContaining(encoded.substring(0, 40));
	}

	@Test
	void fromPemWhenEd25519Pkcs8ThenRefusedAsNeitherEcNorRsa() throws Exception {
		byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
		assertThatIllegalArgumentException().isThrownBy(() -> PrivateKeys.fromPem(pem("PRIVATE KEY", der, "\n")))
			.withMessageContaining("neither an EC nor an RSA");
	}

	@Test
	void fromPemWhenTruncatedKeyThenRefusedWithoutKeyMaterialInTheMessage() {
		byte[] der = rsa.getPrivate().getEncoded();
		byte[] truncated = java.util.Arrays.copyOf(der, der.length / 2);
		assertThatIllegalArgumentException().isThrownBy(() -> PrivateKeys.fromPem(pem("PRIVATE KEY", truncated, "\n")))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(truncated).substring(0, 24));
				assertThat(ex.getCause()).isNull();
			});
	}

	private static String pem(String type, byte[] der, String lineBreak) {
		String body = Base64.getMimeEncoder(64, lineBreak.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
			.encodeToString(der);
		return "-----BEGIN " + type + "-----" + lineBreak + body + lineBreak + "-----END " + type + "-----";
	}

}
