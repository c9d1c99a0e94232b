package dev.mcpconnector.authorization;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * ID token signatures: EdDSA (Ed25519, Ed448) through the JDK beside RSA and EC through Nimbus,
 * against a JWK set served on loopback; each refusal says what failed (an algorithm we cannot
 * check, no key, a wrong signature) by its reason.
 */
@Tag("fast")
class IdTokenVerifierTests {

	private static final String CLIENT = "client-1";

	private static final String NONCE = "nonce-1";

	private final TestTokenEndpoint endpoint;

	private final IdTokenVerifier verifier = new IdTokenVerifier(TestTokenEndpoint.http(), Duration.ofSeconds(60));

	private final KeyPair ed25519;

	private final KeyPair ed448;

	private final RSAKey rsa;

	private final ECKey ec;

	IdTokenVerifierTests() throws Exception {
		this.ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		this.ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
		this.rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
		this.ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
		List<JWK> keys = List.of(okp(this.ed25519, Curve.Ed25519, "ed-1"), okp(this.ed448, Curve.Ed448, "ed448-1"),
				this.rsa.toPublicJWK(), this.ec.toPublicJWK());
		String jwks = new JWKSet(keys).toString(true);
		this.endpoint = new TestTokenEndpoint();
		this.endpoint.respond((request) -> new TestTokenEndpoint.Response(200, jwks));
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void verifyWhenEd25519SignedThenAccountRead() throws Exception {
		String token = edDsa("EdDSA", "ed-1", this.ed25519, "Ed25519", claims());

		RemoteAccount account = this.verifier.verify(token, server("EdDSA"), CLIENT, nonceHash());

		assertThat(account.subject()).isEqualTo("user-7");
		assertThat(account.email()).isEqualTo("pat@example.com");
	}

	@Test
	void verifyWhenEd25519TokenTamperedThenSignatureRefused() throws Exception {
		String token = edDsa("EdDSA", "ed-1", this.ed25519, "Ed25519", claims());
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + Base64URL.encode(claims().replace("user-7", "user-8")) + "." + parts[2];

		assertThat(refusal(tampered, server("EdDSA"))).isEqualTo(InvalidIdTokenException.Reason.SIGNATURE);
	}

	@Test
	void verifyWhenEd25519SignatureFlippedThenSignatureRefused() throws Exception {
		String token = edDsa("EdDSA", "ed-1", this.ed25519, "Ed25519", claims());
		byte[] signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
		signature[5] ^= 1;
		String flipped = token.substring(0, token.lastIndexOf('.') + 1)
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

		assertThat(refusal(flipped, server("EdDSA"))).isEqualTo(InvalidIdTokenException.Reason.SIGNATURE);
	}

	@Test
	void verifyWhenHeaderHasCriticalParametersThenSignatureRefused() throws Exception {
		String input = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\",\"crit\":[\"x-unknown\"],"
				+ "\"x-unknown\":1}") + "." + Base64URL.encode(claims());
		Signature signer = Signature.getInstance("Ed25519");
		signer.initSign(this.ed25519.getPrivate());
		signer.update(input.getBytes(StandardCharsets.US_ASCII));
		String token = input + "." + Base64URL.encode(signer.sign());

		assertThat(refusal(token, server("EdDSA"))).isEqualTo(InvalidIdTokenException.Reason.SIGNATURE);
	}

	@Test
	void verifyWhenFullySpecifiedEd25519ThenAccepted() throws Exception {
		String token = edDsa("Ed25519", "ed-1", this.ed25519, "Ed25519", claims());

		assertThat(this.verifier.verify(token, server("Ed25519"), CLIENT, nonceHash()).subject()).isEqualTo("user-7");
	}

	@Test
	void verifyWhenEd448SignedThenAccepted() throws Exception {
		String token = edDsa("EdDSA", "ed448-1", this.ed448, "Ed448", claims());

		assertThat(this.verifier.verify(token, server("EdDSA"), CLIENT, nonceHash()).subject()).isEqualTo("user-7");
	}

	@Test
	void verifyWhenEd25519NamedButSignedWithEd448KeyThenNoMatchingKey() throws Exception {
		String token = edDsa("Ed25519", "ed448-1", this.ed448, "Ed448", claims());

		assertThat(refusal(token, server("Ed25519"))).isEqualTo(InvalidIdTokenException.Reason.NO_MATCHING_KEY);
	}

	@Test
	void verifyWhenKeyIdUnknownThenNoMatchingKey() throws Exception {
		String token = edDsa("EdDSA", "ed-unknown", this.ed25519, "Ed25519", claims());

		assertThat(refusal(token, server("EdDSA"))).isEqualTo(InvalidIdTokenException.Reason.NO_MATCHING_KEY);
	}

	@Test
	void verifyWhenAlgorithmNotAdvertisedThenUnsupportedAlgorithm() throws Exception {
		String token = edDsa("EdDSA", "ed-1", this.ed25519, "Ed25519", claims());

		assertThat(refusal(token, server("RS256"))).isEqualTo(InvalidIdTokenException.Reason.UNSUPPORTED_ALGORITHM);
	}

	@Test
	void verifyWhenRs256AndEs256ThenAcceptedAsBefore() throws Exception {
		SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
				JWTClaimsSet.parse(claims()));
		rs.sign(new RSASSASigner(this.rsa));
		SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
				JWTClaimsSet.parse(claims()));
		es.sign(new ECDSASigner(this.ec));
		AuthorizationServerMetadata server = server("RS256", "ES256", "EdDSA");

		assertThat(this.verifier.verify(rs.serialize(), server, CLIENT, nonceHash()).subject()).isEqualTo("user-7");
		assertThat(this.verifier.verify(es.serialize(), server, CLIENT, nonceHash()).subject()).isEqualTo("user-7");
	}

	@Test
	void canVerifyOnlyWhenAnAdvertisedAlgorithmIsVerifiable() {
		assertThat(IdTokenVerifier.canVerify(server("EdDSA"))).isTrue();
		assertThat(IdTokenVerifier.canVerify(server("ES256K", "EdDSA"))).isTrue();
		assertThat(IdTokenVerifier.canVerify(server())).as("RS256 by default").isTrue();
		assertThat(IdTokenVerifier.canVerify(server("ES256K", "HS256", "none"))).isFalse();
	}

	@Test
	void everyVerifiableAlgorithmHasAJdkImplementation() throws Exception {
		// ES256K is left out because the JDK no longer has secp256k1; the others must all work here.
		assertThat(IdTokenVerifier.VERIFIABLE).doesNotContain(JWSAlgorithm.ES256K, JWSAlgorithm.HS256);
		for (String name : List.of("SHA256withRSA", "RSASSA-PSS", "SHA256withECDSA", "Ed25519", "Ed448")) {
			assertThat(Signature.getInstance(name)).isNotNull();
		}
	}

	private InvalidIdTokenException.Reason refusal(String token, AuthorizationServerMetadata server) {
		InvalidIdTokenException refused = catchThrowableOfType(InvalidIdTokenException.class,
				() -> this.verifier.verify(token, server, CLIENT, nonceHash()));
		assertThat(refused).as("refused").isNotNull();
		assertThat(refused.getMessage()).doesNotContain("user-7").doesNotContain(token);
		return refused.reason();
	}

	private AuthorizationServerMetadata server(String... algorithms) {
		return new AuthorizationServerMetadata(this.endpoint.issuer(), this.endpoint.url("/authorize"),
				this.endpoint.url("/token"), null, null, List.of("S256"), Set.of("openid"), List.of(), Set.of(), false,
				false, this.endpoint.url("/jwks"), null, Set.of(algorithms),
				AuthorizationServerMetadata.Source.OPENID_CONFIGURATION);
	}

	private String claims() {
		long now = Instant.now().getEpochSecond();
		return "{\"iss\":\"" + this.endpoint.issuer() + "\",\"aud\":\"" + CLIENT + "\",\"sub\":\"user-7\",\"iat\":"
				+ now + ",\"exp\":" + (now + 300) + ",\"nonce\":\"" + NONCE + "\",\"email\":\"pat@example.com\"}";
	}

	private static String nonceHash() {
		return AuthorizationRequestResolver.sha256(NONCE);
	}

	/** A JWS signed by the JDK, as a provider without Nimbus would make it. */
	private static String edDsa(String alg, String kid, KeyPair key, String curve, String claims) throws Exception {
		String input = Base64URL.encode("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}") + "."
				+ Base64URL.encode(claims);
		Signature signer = Signature.getInstance(curve);
		signer.initSign(key.getPrivate());
		signer.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + Base64URL.encode(signer.sign());
	}

	/** The public OKP JWK of a JDK key: the raw key is the tail of its X.509 encoding (RFC 8410). */
	private static OctetKeyPair okp(KeyPair key, Curve curve, String kid) {
		byte[] encoded = key.getPublic().getEncoded();
		int length = Curve.Ed25519.equals(curve) ? 32 : 57;
		byte[] x = Arrays.copyOfRange(encoded, encoded.length - length, encoded.length);
		return new OctetKeyPair.Builder(curve, Base64URL.encode(x)).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
	}

}
