package dev.mcpconnector.connection;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.util.Assert;

/**
 * The key a connection's tokens are bound to (DPoP, RFC 9449): its private half never leaves
 * the app but encrypted with the connection's tokens, and every request that carries such a
 * token carries a fresh proof signed with it. Proofs are built by Nimbus's
 * {@link DefaultDPoPProofFactory} ({@code typ dpop+jwt}, the public JWK, {@code jti},
 * {@code htm}, {@code htu}, {@code iat}, {@code ath}, {@code nonce}). {@link #toString()} shows
 * the thumbprint only.
 */
public final class DpopKey {

	/** The algorithms a key can be made for, in the order one is picked: ES256 first. */
	static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "PS256", "RS256");

	private final JWK jwk;

	private final DefaultDPoPProofFactory proofs;

	private final String thumbprint;

	private DpopKey(JWK jwk) {
		Assert.isTrue(jwk.isPrivate() && jwk.getAlgorithm() != null, "jwk must be a private key with an alg");
		try {
			this.jwk = jwk;
			this.proofs = new DefaultDPoPProofFactory(jwk, JWSAlgorithm.parse(jwk.getAlgorithm().getName()));
			this.thumbprint = jwk.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.INTERNAL_ERROR,
					"Cannot sign DPoP proofs with a " + jwk.getKeyType() + " key");
		}
	}

	/**
	 * The algorithm a new key is made for: ES256 when the server accepts it, else the first of
	 * {@link #ALGORITHMS} it lists.
	 * @param supported the server's {@code dpop_signing_alg_values_supported}
	 * @return the algorithm, or {@code null} when none fits (or the server lists none)
	 */
	public static String preferredAlgorithm(Collection<String> supported) {
		return (supported == null) ? null : ALGORITHMS.stream().filter(supported::contains).findFirst().orElse(null);
	}

	/**
	 * A new key.
	 * @param algorithm one of ES256, ES384, ES512, PS256, RS256
	 * @return the key
	 */
	public static DpopKey generate(String algorithm) {
		Assert.isTrue(ALGORITHMS.contains(algorithm), () -> "Unsupported DPoP algorithm " + algorithm);
		JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
		try {
			JWK jwk = switch (algorithm) {
				case "ES256" -> new ECKeyGenerator(Curve.P_256).algorithm(alg).generate();
				case "ES384" -> new ECKeyGenerator(Curve.P_384).algorithm(alg).generate();
				case "ES512" -> new ECKeyGenerator(Curve.P_521).algorithm(alg).generate();
				default -> new RSAKeyGenerator(2048).algorithm(alg).generate();
			};
			return new DpopKey(jwk);
		}
		catch (JOSEException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.INTERNAL_ERROR, "Cannot make a DPoP key");
		}
	}

	/**
	 * A key as {@link #toJson()} wrote it.
	 * @param json the private JWK
	 * @return the key
	 */
	public static DpopKey parse(String json) {
		Assert.hasText(json, "json cannot be empty");
		try {
			return new DpopKey(JWK.parse(json));
		}
		catch (java.text.ParseException | IllegalArgumentException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
					"A stored DPoP key is not a private JWK");
		}
	}

	/**
	 * The private JWK, to be stored encrypted.
	 * @return the JSON
	 */
	public String toJson() {
		return this.jwk.toJSONString();
	}

	/**
	 * The RFC 7638 SHA-256 thumbprint of the public key: what a bound token's {@code cnf.jkt} names.
	 * @return the thumbprint, base64url
	 */
	public String thumbprint() {
		return this.thumbprint;
	}

	/**
	 * A fresh proof for one request.
	 * @param method the HTTP method
	 * @param uri the request URI; its query and fragment are left out ({@code htu}, RFC 9449 §4.2)
	 * @param accessToken the access token the request carries (hashed into {@code ath}), or
	 * {@code null} at the token endpoint
	 * @param nonce the server's last {@code DPoP-Nonce}, or {@code null}
	 * @return the compact JWT for the {@code DPoP} header
	 */
	public String proof(String method, URI uri, String accessToken, String nonce) {
		Assert.hasText(method, "method cannot be empty");
		Assert.notNull(uri, "uri cannot be null");
		URI htu = URI.create(uri.getScheme() + "://" + uri.getRawAuthority()
				+ ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) ? uri.getRawPath() : "/"));
		try {
			return this.proofs
				.createDPoPJWT(method.toUpperCase(java.util.Locale.ROOT), htu,
						(accessToken != null) ? new DPoPAccessToken(accessToken) : null,
						(nonce != null) ? new Nonce(nonce) : null)
				.serialize();
		}
		catch (JOSEException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.INTERNAL_ERROR, "Cannot sign a DPoP proof");
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof DpopKey key && this.thumbprint.equals(key.thumbprint);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.thumbprint);
	}

	@Override
	public String toString() {
		return "DpopKey[alg=" + this.jwk.getAlgorithm() + ", thumbprint=" + this.thumbprint + "]";
	}

}
