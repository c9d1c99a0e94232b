package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Asks a server, without credentials, whether it is an MCP server and whether it wants
 * authorization: one MCP {@code initialize} request through the egress-guarded client. A
 * session the server opened is closed again at once.
 */
class McpServerProbe {

	private static final Logger logger = LoggerFactory.getLogger(McpServerProbe.class);

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":"probe-1","method":"initialize","params":{"protocolVersion":"2025-11-25",\
			"capabilities":{},"clientInfo":{"name":"%s","version":"%s"}}}""";

	private final EgressHttpClient http;

	private final String clientName;

	private final String clientVersion;

	McpServerProbe(EgressHttpClient http, String clientName, String clientVersion) {
		Assert.notNull(http, "http cannot be null");
		this.http = http;
		this.clientName = clientName.replace("\"", "");
		this.clientVersion = clientVersion.replace("\"", "");
	}

	/**
	 * Probe a server.
	 * @param serverUrl the MCP endpoint
	 * @return what it answered
	 * @throws McpConnectorException with code {@code server-unreachable} or
	 * {@code not-an-mcp-server}
	 */
	Result probe(URI serverUrl) {
		byte[] body = INITIALIZE.formatted(this.clientName, this.clientVersion).getBytes(StandardCharsets.UTF_8);
		EgressResponse response;
		try {
			response = this.http.post(serverUrl, "application/json", body,
					Map.of("Accept", "application/json, text/event-stream"));
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.UPSTREAM_UNREACHABLE && ex.error() != McpConnectorErrorCode.UPSTREAM_TIMEOUT) {
				throw ex;
			}
			throw new McpConnectorException(McpConnectorErrorCode.SERVER_UNREACHABLE, "The MCP server at " + serverUrl.getHost()
					+ " could not be reached: " + ex.getMessage());
		}
		int status = response.status();
		if (status == 401 || status == 403) {
			return new Result(false, BearerChallenge.parse(response.headers().allValues("WWW-Authenticate")));
		}
		if (status == 400 || status == 404 || status == 405) {
			Optional<Result> legacy = probeLegacySse(serverUrl);
			if (legacy.isPresent()) {
				return legacy.get();
			}
		}
		if (response.isSuccess()) {
			String type = response.header("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
			if (!type.contains("json") && !type.contains("text/event-stream")) {
				throw new McpConnectorException(McpConnectorErrorCode.NOT_AN_MCP_SERVER,
						"The server at " + serverUrl.getHost() + " did not answer like an MCP server");
			}
			response.header("Mcp-Session-Id").ifPresent((session) -> closeSession(serverUrl, session));
			return new Result(true, Optional.empty());
		}
		throw new McpConnectorException(McpConnectorErrorCode.NOT_AN_MCP_SERVER,
				"The server at " + serverUrl.getHost() + " answered the MCP initialize request with HTTP " + status);
	}

	/**
	 * The backwards-compatible step of the MCP transport rules: a server that refused the
	 * Streamable HTTP {@code initialize} may speak the 2024-11-05 HTTP+SSE transport, which opens
	 * an event stream on GET. Only the status and headers are read; the stream is closed at once.
	 */
	private Optional<Result> probeLegacySse(URI serverUrl) {
		EgressResponse response;
		try {
			response = this.http.getHeaders(serverUrl, Map.of("Accept", "text/event-stream"));
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.UPSTREAM_UNREACHABLE && ex.error() != McpConnectorErrorCode.UPSTREAM_TIMEOUT) {
				throw ex;
			}
			return Optional.empty();
		}
		int status = response.status();
		if (status == 401 || status == 403) {
			return Optional.of(new Result(false,
					BearerChallenge.parse(response.headers().allValues("WWW-Authenticate")), McpTransport.SSE));
		}
		if (response.isEventStream()) {
			logger.debug("{} speaks the HTTP+SSE transport of MCP 2024-11-05", serverUrl.getHost());
			return Optional.of(new Result(true, Optional.empty(), McpTransport.SSE));
		}
		return Optional.empty();
	}

	private void closeSession(URI serverUrl, String session) {
		try {
			this.http.send("DELETE", serverUrl, Map.of("Mcp-Session-Id", session));
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the probe session at {} failed: {}", serverUrl.getHost(), ex.getMessage());
		}
	}

	/**
	 * What a probe found.
	 *
	 * @param open whether the server answered without authorization
	 * @param challenge the Bearer challenge of a 401 or 403, if any
	 * @param transport the transport the server speaks
	 */
	record Result(boolean open, Optional<BearerChallenge> challenge, McpTransport transport) {

		Result(boolean open, Optional<BearerChallenge> challenge) {
			this(open, challenge, McpTransport.STREAMABLE_HTTP);
		}

	}

}
