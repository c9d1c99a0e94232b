package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.DpopKey;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequest;
import io.modelcontextprotocol.modern.client.transport.McpHttpResponseInfo;
import io.modelcontextprotocol.modern.client.transport.McpTransportRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 2026-07-28 transport's 401 handler: a stale token is refreshed once, a request that went
 * out before another caller's refresh is retried with the new token, unless that one has expired
 * as well; a 403 is never refreshed. A DPoP-bound token goes with the DPoP scheme and a fresh
 * proof, and a {@code use_dpop_nonce} challenge is retried with the nonce, not refreshed.
 */
@Tag("fast")
class SessionTokenSourceTests {

	private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

	private final List<String> refreshedFrom = new ArrayList<>();

	private final List<ConnectionCredentials> next = new ArrayList<>();

	private final SessionAuthorization authorization = new SessionAuthorization() {

		@Override
		public Optional<ConnectionCredentials> credentials(McpOwner owner, UUID connectionId) {
			return Optional.empty();
		}

		@Override
		public ConnectionCredentials refresh(McpOwner owner, UUID connectionId, String staleAccessToken) {
			SessionTokenSourceTests.this.refreshedFrom.add(staleAccessToken);
			return SessionTokenSourceTests.this.next.remove(0);
		}

		@Override
		public AuthorizationRequiredException stepUpRequired(McpOwner owner, UUID connectionId,
				BearerChallenge challenge) {
			throw new UnsupportedOperationException();
		}

	};

	@Test
	void onDeniedWhenSentTokenIsCurrentThenRefreshesOnceAndRetries() {
		SessionTokenSource tokens = tokens(credentials("t1", NOW.minusSeconds(1)));
		this.next.add(credentials("t2", NOW.plusSeconds(60)));
		assertThat(tokens.onDenied(sent("t1"), McpHttpResponseInfo.of(401, headers()), McpTransportContext.EMPTY))
			.isTrue();
		assertThat(this.refreshedFrom).containsExactly("t1");
		assertThat(tokens.accessToken()).isEqualTo("t2");
	}

	@Test
	void onDeniedWhenAnotherCallerRefreshedThenRetriesWithoutRefreshing() {
		SessionTokenSource tokens = tokens(credentials("t2", NOW.plusSeconds(60)));
		assertThat(tokens.onDenied(sent("t1"), McpHttpResponseInfo.of(401, headers()), McpTransportContext.EMPTY))
			.isTrue();
		assertThat(this.refreshedFrom).isEmpty();
	}

	@Test
	void onDeniedWhenTheReplacementHasExpiredTooThenRefreshesItInsteadOfRetryingWithIt() {
		SessionTokenSource tokens = tokens(credentials("t2", NOW.minusMillis(1)));
		this.next.add(credentials("t3", NOW.plusSeconds(60)));
		assertThat(tokens.onDenied(sent("t1"), McpHttpResponseInfo.of(401, headers()), McpTransportContext.EMPTY))
			.isTrue();
		assertThat(this.refreshedFrom).containsExactly("t2");
		assertThat(tokens.accessToken()).isEqualTo("t3");
	}

	@Test
	void onDeniedWhen403ThenNoRefresh() {
		SessionTokenSource tokens = tokens(credentials("t1", NOW.plusSeconds(60)));
		assertThat(tokens.onDenied(sent("t1"), McpHttpResponseInfo.of(403, headers()), McpTransportContext.EMPTY))
			.isFalse();
		assertThat(this.refreshedFrom).isEmpty();
	}

	@Test
	void headersWhenTokenIsDpopBoundThenDpopSchemeAndAFreshProofForThisRequest() throws Exception {
		DpopKey key = DpopKey.generate("ES256");
		SessionTokenSource tokens = tokens(dpop("d1", key));
		URI uri = URI.create("http://127.0.0.1:8080/mcp?session=1");
		Map<String, String> first = tokens.headers("post", uri);
		Map<String, String> second = tokens.headers("POST", uri);

		assertThat(first).containsEntry("Authorization", "DPoP d1").doesNotContainKey("authorization");
		SignedJWT proof = SignedJWT.parse(first.get("DPoP"));
		assertThat(proof.getHeader().getType().toString()).isEqualTo("dpop+jwt");
		assertThat(proof.getHeader().getJWK().computeThumbprint().toString()).isEqualTo(key.thumbprint());
		assertThat(proof.getHeader().getJWK().isPrivate()).isFalse();
		assertThat(proof.verify(new ECDSAVerifier(proof.getHeader().getJWK().toECKey()))).isTrue();
		JWTClaimsSet claims = proof.getJWTClaimsSet();
		assertThat(claims.getStringClaim("htm")).isEqualTo("POST");
		assertThat(claims.getStringClaim("htu")).isEqualTo("http://127.0.0.1:8080/mcp");
		assertThat(claims.getStringClaim("ath")).isEqualTo(Base64URL
			.encode(MessageDigest.getInstance("SHA-256").digest("d1".getBytes(StandardCharsets.US_ASCII)))
			.toString());
		assertThat(claims.getIssueTime()).isNotNull();
		assertThat(claims.getClaim("nonce")).isNull();
		assertThat(SignedJWT.parse(second.get("DPoP")).getJWTClaimsSet().getJWTID()).isNotEqualTo(claims.getJWTID());
		assertThat(tokens(credentials("b1", NOW)).headers("POST", uri)).isEqualTo(Map.of("Authorization", "Bearer b1"));
		// A DPoP token whose key is gone is still never sent as Bearer (the server refuses it).
		assertThat(tokens(dpop("d9", null)).headers("POST", uri)).isEqualTo(Map.of("Authorization", "DPoP d9"));
	}

	@Test
	void onDeniedWhenServerAsksForADpopNonceThenRetriesWithItAndNoRefresh() throws Exception {
		SessionTokenSource tokens = tokens(dpop("d1", DpopKey.generate("ES256")));
		HttpHeaders challenge = HttpHeaders.of(Map.of("WWW-Authenticate",
				List.of("DPoP error=\"use_dpop_nonce\", algs=\"ES256\""), "DPoP-Nonce", List.of("n-1")),
				(a, b) -> true);
		assertThat(tokens.onDenied(sent("DPoP d1"), McpHttpResponseInfo.of(401, challenge), McpTransportContext.EMPTY))
			.isTrue();
		assertThat(this.refreshedFrom).isEmpty();
		String proof = tokens.headers("POST", URI.create("http://127.0.0.1/mcp")).get("DPoP");
		assertThat(SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");

		// The same nonce again is not a new challenge: the token itself is refused, so refresh.
		this.next.add(dpop("d2", DpopKey.generate("ES256")));
		assertThat(tokens.onDenied(sent("DPoP d1"), McpHttpResponseInfo.of(401, challenge), McpTransportContext.EMPTY))
			.isTrue();
		assertThat(this.refreshedFrom).containsExactly("d1");
		assertThat(tokens.headers("POST", URI.create("http://127.0.0.1/mcp"))).containsEntry("Authorization", "DPoP d2");
	}

	private static ConnectionCredentials dpop(String token, DpopKey key) {
		return new ConnectionCredentials(token, "refresh", "DPoP", NOW.plusSeconds(60), Set.of(), null, key);
	}

	private SessionTokenSource tokens(ConnectionCredentials credentials) {
		return new SessionTokenSource(McpOwner.of("alice"), UUID.randomUUID(), this.authorization, credentials,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ConnectionCredentials credentials(String token, Instant expiresAt) {
		return new ConnectionCredentials(token, "refresh", "Bearer", expiresAt, Set.of());
	}

	private static McpHttpRequest sent(String authorization) {
		McpTransportRequest request = McpTransportRequest
			.builder(new io.modelcontextprotocol.modern.JsonRpc.JSONRPCRequest("2.0", "tools/list", 1, Map.of()),
					"2026-07-28")
			.build();
		return McpHttpRequest.builder(URI.create("http://127.0.0.1/mcp"), request, "{}")
			.headers(HttpHeaders.of(Map.of("Authorization", List.of(authorization.contains(" ") ? authorization : "Bearer " + authorization)), (a, b) -> true))
			.build();
	}

	private static HttpHeaders headers() {
		return HttpHeaders.of(Map.of(), (a, b) -> true);
	}

}
