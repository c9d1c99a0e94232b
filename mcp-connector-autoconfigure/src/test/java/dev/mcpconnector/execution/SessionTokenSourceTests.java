package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionCredentials;
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
 * as well; a 403 is never refreshed.
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

	private SessionTokenSource tokens(ConnectionCredentials credentials) {
		return new SessionTokenSource(McpOwner.of("alice"), UUID.randomUUID(), this.authorization, credentials,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ConnectionCredentials credentials(String token, Instant expiresAt) {
		return new ConnectionCredentials(token, "refresh", "Bearer", expiresAt, Set.of());
	}

	private static McpHttpRequest sent(String token) {
		McpTransportRequest request = McpTransportRequest
			.builder(new io.modelcontextprotocol.modern.JsonRpc.JSONRPCRequest("2.0", "tools/list", 1, Map.of()),
					"2026-07-28")
			.build();
		return McpHttpRequest.builder(URI.create("http://127.0.0.1/mcp"), request, "{}")
			.headers(HttpHeaders.of(Map.of("Authorization", List.of("Bearer " + token)), (a, b) -> true))
			.build();
	}

	private static HttpHeaders headers() {
		return HttpHeaders.of(Map.of(), (a, b) -> true);
	}

}
