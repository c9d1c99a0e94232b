package dev.mcpconnector.authorization;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;

/**
 * EdDSA ({@code EdDSA}, {@code Ed25519}, {@code Ed448}) for Nimbus's JWT processor through the
 * JDK's own {@code Ed25519}/{@code Ed448} {@link Signature} (JDK 15+). Nimbus (10.x, the version
 * Spring Security brings) verifies EdDSA only with Google Tink on the classpath, and its key
 * selector does not turn {@code OKP} keys into Java keys; this class does both, and leaves RSA and
 * EC to Nimbus.
 */
final class JdkEdDsa {

	/** The X.509 SubjectPublicKeyInfo prefix of a raw Ed25519 public key (RFC 8410). */
	private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

	/** The X.509 SubjectPublicKeyInfo prefix of a raw Ed448 public key (RFC 8410). */
	private static final byte[] ED448_SPKI = HexFormat.of().parseHex("3043300506032b6571033a00");

	private JdkEdDsa() {
	}

	static boolean isEdDsa(JWSAlgorithm algorithm) {
		return JWSAlgorithm.Family.ED.contains(algorithm);
	}

	/**
	 * A Java public key of an {@code OKP} JWK on Ed25519 or Ed448.
	 * @param jwk the key
	 * @return the key, or {@code null} when it is not an EdDSA key or not readable
	 */
	static PublicKey publicKey(JWK jwk) {
		if (!(jwk instanceof OctetKeyPair okp)) {
			return null;
		}
		byte[] prefix;
		int length;
		if (Curve.Ed25519.equals(okp.getCurve())) {
			prefix = ED25519_SPKI;
			length = 32;
		}
		else if (Curve.Ed448.equals(okp.getCurve())) {
			prefix = ED448_SPKI;
			length = 57;
		}
		else {
			return null;
		}
		byte[] x = okp.getDecodedX();
		if (x == null || x.length != length) {
			return null;
		}
		byte[] encoded = new byte[prefix.length + x.length];
		System.arraycopy(prefix, 0, encoded, 0, prefix.length);
		System.arraycopy(x, 0, encoded, prefix.length, x.length);
		try {
			return KeyFactory.getInstance(okp.getCurve().getName()).generatePublic(new X509EncodedKeySpec(encoded));
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

	/** The curves an EdDSA algorithm allows: {@code EdDSA} either, the fully specified ones their own. */
	private static Set<Curve> curvesOf(JWSAlgorithm algorithm) {
		if (JWSAlgorithm.Ed25519.equals(algorithm)) {
			return Set.of(Curve.Ed25519);
		}
		if (JWSAlgorithm.Ed448.equals(algorithm)) {
			return Set.of(Curve.Ed448);
		}
		return Set.of(Curve.Ed25519, Curve.Ed448);
	}

	private static String curveName(PublicKey key) {
		return (key instanceof EdECKey edKey) ? edKey.getParams().getName() : key.getAlgorithm();
	}

	/** No key of the server's set fits the token's key id and algorithm. */
	static final class NoMatchingKeyException extends KeySourceException {

		NoMatchingKeyException() {
			super("No key of the JWK set matches the token's key id and algorithm");
		}

	}

	/**
	 * Selects the verification keys of the accepted algorithms: EdDSA {@code OKP} keys as Java
	 * keys here, RSA and EC keys through Nimbus's {@link JWSVerificationKeySelector}. Throws
	 * {@link NoMatchingKeyException} rather than returning none, so that "no key" and "bad
	 * signature" stay apart.
	 */
	static final class KeySelector implements JWSKeySelector<SecurityContext> {

		private final Set<JWSAlgorithm> accepted;

		private final JWKSource<SecurityContext> source;

		private final JWSVerificationKeySelector<SecurityContext> others;

		KeySelector(Set<JWSAlgorithm> accepted, JWKSource<SecurityContext> source) {
			this.accepted = Set.copyOf(accepted);
			this.source = source;
			Set<JWSAlgorithm> nonEdDsa = new LinkedHashSet<>(accepted);
			nonEdDsa.removeIf(JdkEdDsa::isEdDsa);
			this.others = nonEdDsa.isEmpty() ? null : new JWSVerificationKeySelector<>(nonEdDsa, source);
		}

		@Override
		public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
			JWSAlgorithm algorithm = header.getAlgorithm();
			if (!this.accepted.contains(algorithm)) {
				throw new NoMatchingKeyException();
			}
			List<? extends Key> keys = isEdDsa(algorithm) ? edDsaKeys(header, context)
					: this.others.selectJWSKeys(header, context);
			if (keys.isEmpty()) {
				throw new NoMatchingKeyException();
			}
			return keys;
		}

		private List<PublicKey> edDsaKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
			JWKMatcher matcher = new JWKMatcher.Builder().keyType(KeyType.OKP)
				.curves(curvesOf(header.getAlgorithm()))
				.keyID(header.getKeyID())
				.keyUses(KeyUse.SIGNATURE, null)
				.algorithms(header.getAlgorithm(), JWSAlgorithm.EdDSA, null)
				.build();
			List<PublicKey> keys = new ArrayList<>();
			for (JWK jwk : this.source.get(new JWKSelector(matcher), context)) {
				PublicKey key = publicKey(jwk);
				if (key != null) {
					keys.add(key);
				}
			}
			return keys;
		}

	}

	/** Nimbus's verifiers for RSA and EC, the JDK's {@link Signature} for EdDSA. */
	static final class VerifierFactory implements JWSVerifierFactory {

		private final DefaultJWSVerifierFactory others = new DefaultJWSVerifierFactory();

		private final JCAContext context = new JCAContext();

		@Override
		public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
			if (isEdDsa(header.getAlgorithm()) && key instanceof PublicKey publicKey) {
				return new Verifier(publicKey);
			}
			return this.others.createJWSVerifier(header, key);
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(this.others.supportedJWSAlgorithms());
			algorithms.addAll(JWSAlgorithm.Family.ED);
			return algorithms;
		}

		@Override
		public JCAContext getJCAContext() {
			return this.context;
		}

	}

	/** One EdDSA signature check with the JDK; a header with critical parameters never verifies. */
	private static final class Verifier implements JWSVerifier {

		private final PublicKey key;

		private final JCAContext context = new JCAContext();

		Verifier(PublicKey key) {
			this.key = key;
		}

		@Override
		public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
			if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
				return false;
			}
			// a fully specified algorithm (RFC 9864) names its curve; EdDSA takes the key's
			if (!curvesOf(header.getAlgorithm()).contains(Curve.parse(curveName(this.key)))) {
				return false;
			}
			try {
				Signature verifier = Signature.getInstance(curveName(this.key));
				verifier.initVerify(this.key);
				verifier.update(signingInput);
				return verifier.verify(signature.decode());
			}
			catch (SignatureException ex) {
				return false;
			}
			catch (GeneralSecurityException ex) {
				throw new JOSEException("EdDSA is not available: " + ex.getClass().getSimpleName());
			}
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return JWSAlgorithm.Family.ED;
		}

		@Override
		public JCAContext getJCAContext() {
			return this.context;
		}

	}

}
