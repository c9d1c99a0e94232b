package dev.mcpconnector.authorization;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Checks OpenID Connect ID tokens with the Nimbus SDK's {@link DefaultJWTProcessor}: the signature
 * against the authorization server's {@code jwks_uri} keys (fetched through the
 * {@link EgressHttpClient}, cached per URL, fetched again for an unknown key id), then
 * {@code iss}, {@code aud} (and {@code azp}), {@code exp} and {@code iat} with a clock skew, and
 * the {@code nonce} against the hash recorded with the authorization request. Only asymmetric
 * signatures are accepted, from the algorithms the server advertises ({@code RS256} when it
 * advertises none) that {@link #VERIFIABLE} lists; EdDSA goes through the JDK
 * ({@link JdkEdDsa}). Errors never carry the token or its claims, and their reason tells an
 * algorithm we cannot check from a key that is missing and from a signature that is wrong.
 */
class IdTokenVerifier {

	private static final Logger logger = LoggerFactory.getLogger(IdTokenVerifier.class);

	/**
	 * The algorithms this verifier can check: RSA (PKCS#1 and PSS) and EC through Nimbus and the
	 * JDK, EdDSA through the JDK ({@link JdkEdDsa}). Not {@code ES256K}: the JDK dropped secp256k1.
	 * Never {@code none} nor an HMAC, whose key would be our client secret.
	 */
	static final Set<JWSAlgorithm> VERIFIABLE = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.Ed448);

	private static final int MAX_KEY_SOURCES = 256;

	private static final Map<String, String> ACCEPT_JSON = Map.of("Accept", "application/json");

	private final EgressHttpClient http;

	private final Duration clockSkew;

	private final Clock clock;

	private final ResourceRetriever retriever = this::retrieve;

	private final Map<URI, JWKSource<SecurityContext>> keySources = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<URI, JWKSource<SecurityContext>> eldest) {
			return size() > MAX_KEY_SOURCES;
		}

	};

	/**
	 * @param http the guarded client the JWK sets are fetched with
	 * @param clockSkew how far {@code exp} and {@code iat} may be off
	 */
	IdTokenVerifier(EgressHttpClient http, Duration clockSkew) {
		this(http, clockSkew, Clock.systemUTC());
	}

	/**
	 * @param http the guarded client the JWK sets are fetched with
	 * @param clockSkew how far {@code exp} and {@code iat} may be off
	 * @param clock the clock {@code exp} and {@code iat} are checked against
	 */
	IdTokenVerifier(EgressHttpClient http, Duration clockSkew, Clock clock) {
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		Assert.isTrue(clockSkew != null && !clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(5)) <= 0,
				"clockSkew must be between 0 and 5 minutes");
		this.http = http;
		this.clockSkew = clockSkew;
	}

	/**
	 * Check an ID token and read the account it names.
	 * @param idToken the ID token from the token response
	 * @param server the authorization server that issued it (its issuer, {@code jwks_uri} and
	 * signing algorithms)
	 * @param clientId our client id at that server, the expected audience
	 * @param expectedNonceHash hex SHA-256 of the nonce the authorization request sent, or
	 * {@code null} to skip the nonce check (an ID token from a refresh)
	 * @return the account
	 * @throws InvalidIdTokenException when the token is refused
	 */
	RemoteAccount verify(String idToken, AuthorizationServerMetadata server, String clientId,
			String expectedNonceHash) {
		Assert.notNull(server, "server cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		if (server.jwksUri() == null) {
			throw refused(InvalidIdTokenException.Reason.KEYS_UNAVAILABLE, server.issuer());
		}
		JWT jwt;
		try {
			jwt = JWTParser.parse(idToken);
		}
		catch (java.text.ParseException | RuntimeException ex) {
			throw refused(InvalidIdTokenException.Reason.MALFORMED, server.issuer());
		}
		if (!(jwt instanceof SignedJWT signed)) {
			throw refused(InvalidIdTokenException.Reason.MALFORMED, server.issuer());
		}
		Set<JWSAlgorithm> accepted = acceptedAlgorithms(server);
		if (!accepted.contains(signed.getHeader().getAlgorithm())) {
			throw refused(InvalidIdTokenException.Reason.UNSUPPORTED_ALGORITHM, server.issuer());
		}
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JdkEdDsa.KeySelector(accepted, keySource(server.jwksUri())));
		processor.setJWSVerifierFactory(new JdkEdDsa.VerifierFactory());
		processor.setJWTClaimsSetVerifier(
				new IdTokenClaimsVerifier(server.issuer(), clientId, this.clockSkew, this.clock));
		JWTClaimsSet claims;
		try {
			claims = processor.process(signed, null);
		}
		catch (BadJOSEException | JOSEException ex) {
			InvalidIdTokenException.Reason reason = reasonOf(ex);
			logger.info("Refused an ID token from {}: {}", server.issuer(), reason);
			throw new InvalidIdTokenException(reason, server.issuer());
		}
		String azp = claimOrNull(claims, "azp");
		if ((azp != null && !azp.equals(clientId)) || (claims.getAudience().size() > 1 && azp == null)) {
			throw refused(InvalidIdTokenException.Reason.AUDIENCE, server.issuer());
		}
		if (expectedNonceHash != null) {
			String nonce = claimOrNull(claims, "nonce");
			if (nonce == null || !MessageDigest.isEqual(
					AuthorizationRequestResolver.sha256(nonce).getBytes(StandardCharsets.US_ASCII),
					expectedNonceHash.getBytes(StandardCharsets.US_ASCII))) {
				throw refused(InvalidIdTokenException.Reason.NONCE, server.issuer());
			}
		}
		String subject = claims.getSubject();
		if (subject.isBlank() || subject.length() > RemoteAccount.MAX_CLAIM_LENGTH) {
			throw refused(InvalidIdTokenException.Reason.CLAIMS, server.issuer());
		}
		return new RemoteAccount(subject, claimOrNull(claims, "name"), claimOrNull(claims, "preferred_username"),
				claimOrNull(claims, "email"));
	}

	private static InvalidIdTokenException refused(InvalidIdTokenException.Reason reason, String issuer) {
		logger.info("Refused an ID token from {}: {}", issuer, reason);
		return new InvalidIdTokenException(reason, issuer);
	}

	/**
	 * Whether an ID token of this server could be checked: one of its advertised
	 * {@code id_token_signing_alg_values_supported} (or {@code RS256} when it lists none) is one
	 * this verifier can verify. Where none is, {@code openid} is not worth asking for.
	 * @param server the server
	 * @return whether its ID tokens can be verified
	 */
	static boolean canVerify(AuthorizationServerMetadata server) {
		return server.jwksUri() != null && !acceptedAlgorithms(server).isEmpty();
	}

	/** The advertised algorithms this verifier can check ({@code RS256} when none is advertised). */
	static Set<JWSAlgorithm> acceptedAlgorithms(AuthorizationServerMetadata server) {
		if (server.idTokenSigningAlgorithms().isEmpty()) {
			return Set.of(JWSAlgorithm.RS256);
		}
		Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
		for (String name : server.idTokenSigningAlgorithms()) {
			JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
			if (VERIFIABLE.contains(algorithm)) {
				accepted.add(algorithm);
			}
		}
		return accepted;
	}

	/** By type, never by message: which check refused the token. */
	private static InvalidIdTokenException.Reason reasonOf(Exception ex) {
		if (ex instanceof JdkEdDsa.NoMatchingKeyException) {
			return InvalidIdTokenException.Reason.NO_MATCHING_KEY;
		}
		if (ex instanceof KeySourceException) {
			return InvalidIdTokenException.Reason.KEYS_UNAVAILABLE;
		}
		if (ex instanceof IdTokenClaimsVerifier.Refused refused) {
			return refused.reason();
		}
		if (ex instanceof BadJWTException) {
			// The claims set could not be read.
			return InvalidIdTokenException.Reason.CLAIMS;
		}
		if (ex instanceof BadJWSException) {
			return InvalidIdTokenException.Reason.SIGNATURE;
		}
		if (ex instanceof BadJOSEException) {
			// Refused before its signature was checked (its "typ", for one).
			return InvalidIdTokenException.Reason.MALFORMED;
		}
		// The verifier could not be made or run for this algorithm and key.
		return InvalidIdTokenException.Reason.UNSUPPORTED_ALGORITHM;
	}

	/** A string claim, or {@code null} when it is absent or not a string. */
	private static String claimOrNull(JWTClaimsSet claims, String name) {
		try {
			return claims.getStringClaim(name);
		}
		catch (java.text.ParseException ex) {
			return null;
		}
	}

	private JWKSource<SecurityContext> keySource(URI jwksUri) {
		synchronized (this.keySources) {
			return this.keySources.computeIfAbsent(jwksUri, (uri) -> {
				try {
					return JWKSourceBuilder.<SecurityContext>create(uri.toURL(), this.retriever).retrying(false).build();
				}
				catch (java.net.MalformedURLException ex) {
					throw refused(InvalidIdTokenException.Reason.KEYS_UNAVAILABLE, uri.getHost());
				}
			});
		}
	}

	/** Fetches a JWK set through the egress client: its policy, redirect checks, timeouts and size cap. */
	private Resource retrieve(URL url) throws IOException {
		URI uri;
		try {
			uri = url.toURI();
		}
		catch (URISyntaxException ex) {
			throw new IOException("The JWK set URL is not valid");
		}
		EgressResponse response;
		try {
			response = this.http.get(uri, ACCEPT_JSON);
		}
		catch (McpConnectorException ex) {
			logger.info("Could not fetch the JWK set at {}: {}", uri, ex.getMessage());
			throw new IOException("The JWK set could not be fetched (" + ex.errorCode() + ")");
		}
		if (!response.isSuccess()) {
			logger.info("The JWK set at {} answered HTTP {}", uri, response.status());
			throw new IOException("The JWK set answered HTTP " + response.status());
		}
		return new Resource(response.bodyAsString(), response.header("Content-Type").orElse("application/json"));
	}

	/** Forget cached JWK sets, so the next check fetches them again. */
	void forgetKeys() {
		synchronized (this.keySources) {
			this.keySources.clear();
		}
	}

}
