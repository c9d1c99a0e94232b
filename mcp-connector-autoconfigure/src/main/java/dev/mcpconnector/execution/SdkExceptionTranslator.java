package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.client.McpInputHandlerMissingException;
import io.modelcontextprotocol.modern.client.McpInputRoundsExceededException;
import io.modelcontextprotocol.modern.client.McpTimeoutException;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;

/**
 * Tells what went wrong when the MCP SDK failed, by the exception's type and the HTTP status
 * of the failed exchange ({@link UpstreamHttpStatusException}, recorded on the wire by
 * {@link RecordingHttpClient}), never by message text; and turns it into a connector
 * exception.
 */
final class SdkExceptionTranslator {

	/** Statuses with which a server that speaks only HTTP+SSE refuses a Streamable HTTP POST. */
	private static final Set<Integer> STREAMABLE_REFUSALS = Set.of(400, 404, 405);

	/**
	 * JSON-RPC errors a 2026-07-28 server answers with a 4xx (version, capability, header
	 * mismatch; method and params): its own answer, not a sign of an older server.
	 */
	private static final Set<Integer> MODERN_REQUEST_ERRORS = Set.of(-32022, -32021, -32020, -32601, -32602);

	private static final int MAX_DEPTH = 32;

	/** The most characters of a server's error text a message keeps. */
	static final int MAX_UPSTREAM_TEXT = 512;

	/** What a failure means for the caller's next step. */
	enum Kind {

		/** A connector exception (policy, authorization, a closed connection): rethrow it. */
		CONNECTOR,

		/** The server refused the token with 401 or 403 (Streamable HTTP's typed exception). */
		AUTHORIZATION,

		/** The server forgot the session, restarted or dropped the connection: open a new one. */
		SESSION_LOST,

		/** A Streamable HTTP POST refused with 400, 404 or 405: maybe a legacy HTTP+SSE server. */
		STREAMABLE_REFUSED,

		/** An exchange answered 401 (the HTTP+SSE transport has no typed exception for it). */
		UNAUTHORIZED,

		/**
		 * A 2026-07-28 request refused with 400, 404 or 405 without a modern error, or an older
		 * session's {@code initialize} refused: the server changed revision, probe it again.
		 */
		ERA_CHANGED,

		/** Anything else: translate and throw. */
		FAILED

	}

	/**
	 * Classify a failure.
	 * @param ex what the SDK threw
	 * @param exchanges the failed exchanges of the session since the operation started
	 * @return the kind
	 */
	Kind classify(Throwable ex, List<Throwable> exchanges) {
		if (denied(ex).isPresent()) {
			return Kind.AUTHORIZATION;
		}
		if (causeOf(ex, McpConnectorException.class).isPresent()) {
			return Kind.CONNECTOR;
		}
		if (causeOf(ex, McpTransportSessionNotFoundException.class).isPresent()) {
			return Kind.SESSION_LOST;
		}
		if (causeOf(ex, McpError.class).isPresent() || causeOf(ex, McpException.class).isPresent()
				|| causeOf(ex, TimeoutException.class).isPresent() || causeOf(ex, McpTimeoutException.class).isPresent()) {
			// The server answered (its JSON-RPC error), or it was too slow: neither is a transport
			// failure, whatever the wire did meanwhile.
			return Kind.FAILED;
		}
		if (isDropped(ex) || exchanges.stream().anyMatch(SdkExceptionTranslator::isLostExchange)) {
			return Kind.SESSION_LOST;
		}
		List<UpstreamHttpStatusException> statuses = statuses(exchanges);
		if (statuses.stream().anyMatch((status) -> status.status() == 401)) {
			return Kind.UNAUTHORIZED;
		}
		// The POST of a session's first request; the SDK may try a GET stream after it, whose
		// 405 says nothing.
		if (statuses.stream()
			.anyMatch((status) -> status.isPost() && !status.inSession()
					&& STREAMABLE_REFUSALS.contains(status.status()))) {
			return Kind.STREAMABLE_REFUSED;
		}
		return Kind.FAILED;
	}

	/**
	 * Classify a failure of a 2026-07-28 session: stateless, so nothing is lost and nothing is
	 * replayed; only a refusal that says the server speaks an older revision now is recovered.
	 * @param ex what the SDK threw
	 * @param exchanges the failed exchanges of the session since the operation started
	 * @return the kind
	 */
	Kind classifyModern(Throwable ex, List<Throwable> exchanges) {
		if (denied(ex).isPresent()) {
			return Kind.AUTHORIZATION;
		}
		if (causeOf(ex, McpConnectorException.class).isPresent()) {
			return Kind.CONNECTOR;
		}
		Optional<McpHttpStatusException> status = causeOf(ex, McpHttpStatusException.class);
		if (status.isPresent()) {
			return STREAMABLE_REFUSALS.contains(status.get().statusCode()) ? Kind.ERA_CHANGED : Kind.FAILED;
		}
		Optional<McpException> rpc = causeOf(ex, McpException.class);
		if (rpc.isPresent() && rpc.get().error() != null && !MODERN_REQUEST_ERRORS.contains(rpc.get().error().code())
				&& statuses(exchanges).stream()
					.anyMatch((recorded) -> recorded.isPost() && STREAMABLE_REFUSALS.contains(recorded.status()))) {
			return Kind.ERA_CHANGED;
		}
		return Kind.FAILED;
	}

	/**
	 * The status and headers of a 401 or 403 the transport gave up on, from either revision's
	 * typed exception.
	 * @param ex what the SDK threw
	 * @return the refusal, if it was one
	 */
	static Optional<Denied> denied(Throwable ex) {
		Optional<McpHttpClientTransportAuthorizationException> legacy = causeOf(ex,
				McpHttpClientTransportAuthorizationException.class);
		if (legacy.isPresent()) {
			return Optional.of(new Denied(legacy.get().getResponseInfo().statusCode(),
					legacy.get().getResponseInfo().headers()));
		}
		return causeOf(ex, McpHttpStatusException.class)
			.filter((status) -> status.statusCode() == 401 || status.statusCode() == 403)
			.map((status) -> new Denied(status.statusCode(), status.headers()));
	}

	/**
	 * The connector exception for a failure.
	 * @param connectionId the connection
	 * @param what what was being done, for the message
	 * @param ex what the SDK threw
	 * @return the exception to throw
	 */
	RuntimeException translate(UUID connectionId, String what, Throwable ex) {
		if (ex instanceof McpConnectorException typed) {
			return typed;
		}
		Optional<McpConnectorException> wrapped = causeOf(ex, McpConnectorException.class);
		if (wrapped.isPresent()) {
			return wrapped.get();
		}
		Optional<McpError> rpc = causeOf(ex, McpError.class);
		if (rpc.isPresent() && rpc.get().getJsonRpcError() != null) {
			McpSchema.JSONRPCResponse.JSONRPCError error = rpc.get().getJsonRpcError();
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, error.code(),
					what + " failed: the server answered " + error.code() + " " + escaped(error.message()), null);
		}
		Optional<McpException> modern = causeOf(ex, McpException.class);
		if (modern.isPresent() && modern.get().error() != null) {
			Integer code = modern.get().error().code();
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, code,
					what + " failed: the server answered " + code + " " + escaped(modern.get().error().message()),
					null);
		}
		Optional<McpInputHandlerMissingException> unoffered = causeOf(ex, McpInputHandlerMissingException.class);
		if (unoffered.isPresent()) {
			// The server answered, asking for input this client does not offer (sampling, roots,
			// a URL elicitation): the server's side of the exchange, not the network's.
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, null,
					what + " failed: the server asked for " + describe(unoffered.get().inputRequest())
							+ ", which this client does not offer",
					null);
		}
		Optional<McpInputRoundsExceededException> rounds = causeOf(ex, McpInputRoundsExceededException.class);
		if (rounds.isPresent()) {
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, null,
					what + " failed: the server still asked for input after " + rounds.get().maxRounds() + " rounds",
					null);
		}
		if (causeOf(ex, TimeoutException.class).isPresent() || causeOf(ex, McpTimeoutException.class).isPresent()) {
			return McpExecutionException.timeout(connectionId, what);
		}
		Optional<McpHttpStatusException> status = causeOf(ex, McpHttpStatusException.class);
		if (status.isPresent()) {
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE, connectionId, null,
					what + " failed: the server answered HTTP " + status.get().statusCode(), null);
		}
		return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE, connectionId, null,
				what + " failed: " + ex.getClass().getSimpleName(), null);
	}

	/**
	 * A server's error text as it may go into a message that is logged and answered: control
	 * characters (CR and LF above all, which would let the server write log lines of its own),
	 * line and paragraph separators and bidirectional controls escaped as a backslash, 'u' and
	 * four hex digits, and at most {@value #MAX_UPSTREAM_TEXT} characters kept.
	 * @param text the server's text, or {@code null}
	 * @return the text to use
	 */
	static String escaped(String text) {
		if (text == null) {
			return "";
		}
		String kept = (text.length() > MAX_UPSTREAM_TEXT) ? text.substring(0, MAX_UPSTREAM_TEXT) + "…" : text;
		StringBuilder escaped = new StringBuilder(kept.length());
		for (int i = 0; i < kept.length(); i++) {
			char c = kept.charAt(i);
			int type = Character.getType(c);
			if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
					|| type == Character.PARAGRAPH_SEPARATOR) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String describe(io.modelcontextprotocol.modern.McpSchema.InputRequest request) {
		if (request instanceof io.modelcontextprotocol.modern.McpSchema.ElicitInputRequest elicit) {
			return request.method() + " in " + elicit.params().mode() + " mode";
		}
		return request.method();
	}

	/** A socket the server closed or refused (reset, refused, broken pipe), but not a timeout. */
	private static boolean isDropped(Throwable ex) {
		return causeOf(ex, SocketException.class).isPresent();
	}

	private static boolean isLostExchange(Throwable exchange) {
		if (exchange instanceof UpstreamHttpStatusException status) {
			// A 404 or 400 to a request in a session: the server no longer knows the session
			// (what the SDK itself takes as session-not-found, and then fails pending requests
			// with an untyped exception).
			return status.inSession() && (status.status() == 404 || status.status() == 400);
		}
		return exchange instanceof IOException && !(exchange instanceof HttpTimeoutException);
	}

	private static List<UpstreamHttpStatusException> statuses(List<Throwable> exchanges) {
		return exchanges.stream()
			.filter(UpstreamHttpStatusException.class::isInstance)
			.map(UpstreamHttpStatusException.class::cast)
			.toList();
	}

	static <T extends Throwable> Optional<T> causeOf(Throwable ex, Class<T> type) {
		int depth = 0;
		for (Throwable t = ex; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
			if (type.isInstance(t)) {
				return Optional.of(type.cast(t));
			}
		}
		return Optional.empty();
	}

	/** A 401 or 403: its status and the response's headers ({@code WWW-Authenticate}). */
	record Denied(int status, HttpHeaders headers) {
	}

}
