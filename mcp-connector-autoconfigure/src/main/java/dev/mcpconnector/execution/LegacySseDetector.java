package dev.mcpconnector.execution;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;

/**
 * Whether a server speaks the HTTP+SSE transport of MCP 2024-11-05: after it refused a
 * Streamable HTTP POST with 400, 404 or 405 (the backwards-compatibility rule of the MCP
 * transports), a GET must open an event stream. Reads only the stream's status and headers.
 */
final class LegacySseDetector {

	private final EgressHttpClient http;

	LegacySseDetector(EgressHttpClient http) {
		this.http = http;
	}

	/**
	 * Whether the server opens an HTTP+SSE event stream on GET.
	 * @param serverUrl the server URL
	 * @param tokens the session's token, or {@code null}
	 * @return whether it answered with {@code text/event-stream}
	 */
	boolean speaksLegacySse(URI serverUrl, SessionTokenSource tokens) {
		return probe(serverUrl, tokens).map(EgressResponse::isEventStream).orElse(false);
	}

	/**
	 * Open a server's HTTP+SSE event stream with a token and read only its status and headers.
	 * @param serverUrl the server URL
	 * @param tokens the session's token (its headers for this GET), or {@code null}
	 * @return the answer, or empty when the server could not be reached
	 */
	Optional<EgressResponse> probe(URI serverUrl, SessionTokenSource tokens) {
		Map<String, String> headers = new HashMap<>();
		headers.put("Accept", "text/event-stream");
		if (tokens != null) {
			headers.putAll(tokens.headers("GET", serverUrl));
		}
		try {
			return Optional.of(this.http.getHeaders(serverUrl, headers));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

}
