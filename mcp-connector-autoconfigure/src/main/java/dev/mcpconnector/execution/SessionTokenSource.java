package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequest;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestHeaders;
import io.modelcontextprotocol.modern.client.transport.McpHttpResponseInfo;

/**
 * The bearer token of one session: every request of the session's transport carries it
 * (the SDK's background requests included), and a 401 refreshes it in place. The token never
 * leaves this object except as the {@code Authorization} header.
 */
final class SessionTokenSource implements McpSyncHttpClientRequestCustomizer {

	private static final String BEARER = "Bearer ";

	private final McpOwner owner;

	private final UUID connectionId;

	private final SessionAuthorization authorization;

	private volatile String accessToken;

	/** When {@link #accessToken} expires, or {@code null} when unknown. */
	private volatile Instant expiresAt;

	private final Clock clock;

	private volatile RuntimeException failure;

	SessionTokenSource(McpOwner owner, UUID connectionId, SessionAuthorization authorization,
			ConnectionCredentials credentials, Clock clock) {
		this.owner = owner;
		this.connectionId = connectionId;
		this.authorization = authorization;
		this.accessToken = (credentials != null) ? credentials.accessToken() : null;
		this.expiresAt = (credentials != null) ? credentials.expiresAt() : null;
		this.clock = clock;
	}

	@Override
	public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
			McpTransportContext context) {
		String token = this.accessToken;
		if (token != null) {
			builder.setHeader("Authorization", BEARER + token);
		}
	}

	/** The 2026-07-28 transport's request customizer: the same token, set the same way. */
	void customize(McpHttpRequest request, McpHttpRequestHeaders headers, McpTransportContext context) {
		String token = this.accessToken;
		if (token != null) {
			headers.set("Authorization", BEARER + token);
		}
	}

	/** Whether the session carries a token at all. */
	boolean hasToken() {
		return this.accessToken != null;
	}

	/** The token, for a request this class does not build itself (the SSE preflight). */
	String accessToken() {
		return this.accessToken;
	}

	/** Refresh now, after the server refused the current token. */
	void refresh() {
		use(this.authorization.refresh(this.owner, this.connectionId, this.accessToken));
	}

	private void use(ConnectionCredentials credentials) {
		this.expiresAt = credentials.expiresAt();
		this.accessToken = credentials.accessToken();
	}

	/**
	 * Why the last refresh failed, so the caller sees that instead of the 401 itself.
	 * @return the refresh's exception, or {@code null}
	 */
	RuntimeException failure() {
		return this.failure;
	}

	/**
	 * The Streamable HTTP transport's authorization error handler: a 401 refreshes the token
	 * (once per stale token) and asks the SDK to replay the request.
	 * @return whether to replay
	 */
	boolean onDenied(HttpRequestSnapshot request, HttpResponse.ResponseInfo response, McpTransportContext context) {
		return onDenied(response.statusCode(), request.headers().firstValue("Authorization").orElse(null));
	}

	/**
	 * The 2026-07-28 transport's authorization error handler (called on 401 and 403): the same
	 * refresh as {@link #onDenied(HttpRequestSnapshot, HttpResponse.ResponseInfo, McpTransportContext)}.
	 * @return whether to replay
	 */
	boolean onDenied(McpHttpRequest request, McpHttpResponseInfo response, McpTransportContext context) {
		return onDenied(response.statusCode(), request.headers().firstValue("Authorization").orElse(null));
	}

	private boolean onDenied(int status, String authorization) {
		if (status != 401 || this.accessToken == null) {
			return false;
		}
		// The token the refused request carried, not the one the session holds now: another
		// call may have refreshed already, and then a retry with the new token is enough.
		String sent = (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()))
				? authorization.substring(BEARER.length()) : this.accessToken;
		String current = this.accessToken;
		Instant currentExpiry = this.expiresAt;
		if (!sent.equals(current)) {
			if (currentExpiry == null || this.clock.instant().isBefore(currentExpiry)) {
				return true;
			}
			// Replaced meanwhile, but that one has expired too (short-lived tokens, a slow
			// refresh): the one retry the transport allows must not go out with a dead token.
			sent = current;
		}
		try {
			use(this.authorization.refresh(this.owner, this.connectionId, sent));
			return true;
		}
		catch (RuntimeException ex) {
			this.failure = ex;
			return false;
		}
	}

	@Override
	public String toString() {
		return "SessionTokenSource[connectionId=" + this.connectionId + ", token=" + (hasToken() ? "[redacted]" : "none")
				+ "]";
	}

}
