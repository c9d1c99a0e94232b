package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.DpopKey;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequest;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestHeaders;
import io.modelcontextprotocol.modern.client.transport.McpHttpResponseInfo;

/**
 * The token of one session: every request of the session's transport carries it (the SDK's
 * background requests included), and a 401 refreshes it in place. The token never leaves this
 * object except as the {@code Authorization} header. A DPoP-bound token goes as
 * {@code Authorization: DPoP} with a fresh proof of its key for each request (RFC 9449 §7), and
 * a {@code use_dpop_nonce} challenge of the server is answered by sending the request again with
 * its nonce, which later proofs carry too (§9).
 */
final class SessionTokenSource implements McpSyncHttpClientRequestCustomizer {

	private static final String BEARER = "Bearer ";

	private static final String DPOP = ConnectionCredentials.DPOP + " ";

	private final McpOwner owner;

	private final UUID connectionId;

	private final SessionAuthorization authorization;

	private volatile String accessToken;

	/** Whether {@link #accessToken} is DPoP-bound. */
	private volatile boolean dpop;

	/** The key of a DPoP-bound {@link #accessToken}, or {@code null}. */
	private volatile DpopKey dpopKey;

	/** The server's last {@code DPoP-Nonce}, or {@code null}. */
	private volatile String dpopNonce;

	/** When {@link #accessToken} expires, or {@code null} when unknown. */
	private volatile Instant expiresAt;

	private final Clock clock;

	private volatile RuntimeException failure;

	SessionTokenSource(McpOwner owner, UUID connectionId, SessionAuthorization authorization,
			ConnectionCredentials credentials, Clock clock) {
		this.owner = owner;
		this.connectionId = connectionId;
		this.authorization = authorization;
		this.clock = clock;
		if (credentials != null) {
			use(credentials);
		}
	}

	@Override
	public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
			McpTransportContext context) {
		headers(method, endpoint).forEach(builder::setHeader);
	}

	/** The 2026-07-28 transport's request customizer: the same token, set the same way. */
	void customize(McpHttpRequest request, McpHttpRequestHeaders headers, McpTransportContext context) {
		headers(request.httpMethod(), request.uri()).forEach(headers::set);
	}

	/**
	 * The headers that authorize one request: {@code Authorization}, and {@code DPoP} with a
	 * proof for this method and URI when the token is DPoP-bound; none without a token.
	 * @param method the HTTP method
	 * @param uri the request URI
	 * @return the headers
	 */
	Map<String, String> headers(String method, URI uri) {
		String token = this.accessToken;
		DpopKey key = this.dpopKey;
		if (token == null) {
			return Map.of();
		}
		if (!this.dpop) {
			return Map.of("Authorization", BEARER + token);
		}
		return (key != null) ? Map.of("Authorization", DPOP + token, "DPoP", key.proof(method, uri, token, this.dpopNonce))
				: Map.of("Authorization", DPOP + token);
	}

	/** Whether the session carries a token at all. */
	boolean hasToken() {
		return this.accessToken != null;
	}

	/** The token, to tell whether another caller replaced it meanwhile. */
	String accessToken() {
		return this.accessToken;
	}

	/** Refresh now, after the server refused the current token. */
	void refresh() {
		use(this.authorization.refresh(this.owner, this.connectionId, this.accessToken));
	}

	private void use(ConnectionCredentials credentials) {
		this.expiresAt = credentials.expiresAt();
		this.dpop = credentials.isDpopBound();
		this.dpopKey = this.dpop ? credentials.dpopKey() : null;
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
		return onDenied(response.statusCode(), response.headers(), request.headers().firstValue("Authorization").orElse(null));
	}

	/**
	 * The 2026-07-28 transport's authorization error handler (called on 401 and 403): the same
	 * refresh as {@link #onDenied(HttpRequestSnapshot, HttpResponse.ResponseInfo, McpTransportContext)}.
	 * @return whether to replay
	 */
	boolean onDenied(McpHttpRequest request, McpHttpResponseInfo response, McpTransportContext context) {
		return onDenied(response.statusCode(), response.headers(), request.headers().firstValue("Authorization").orElse(null));
	}

	private boolean onDenied(int status, HttpHeaders response, String authorization) {
		if (status != 401 || this.accessToken == null) {
			return false;
		}
		if (this.dpop && nonceRequested(response)) {
			return true;
		}
		// The token the refused request carried, not the one the session holds now: another
		// call may have refreshed already, and then a retry with the new token is enough.
		String sent = sentToken(authorization);
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

	/**
	 * A {@code use_dpop_nonce} challenge (RFC 9449 §9) with a nonce other than the one sent:
	 * the nonce is kept, and the request goes again with a proof that carries it.
	 */
	private boolean nonceRequested(HttpHeaders response) {
		String nonce = response.firstValue("DPoP-Nonce").orElse(null);
		boolean requested = nonce != null && !nonce.isBlank() && !nonce.equals(this.dpopNonce)
				&& BearerChallenge.parse(response.allValues("WWW-Authenticate"))
					.flatMap(BearerChallenge::error)
					.filter("use_dpop_nonce"::equals)
					.isPresent();
		if (requested) {
			this.dpopNonce = nonce;
		}
		return requested;
	}

	private String sentToken(String authorization) {
		for (String scheme : new String[] { BEARER, DPOP }) {
			if (authorization != null && authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
				return authorization.substring(scheme.length());
			}
		}
		return this.accessToken;
	}

	@Override
	public String toString() {
		return "SessionTokenSource[connectionId=" + this.connectionId + ", token=" + (hasToken() ? "[redacted]" : "none")
				+ "]";
	}

}
