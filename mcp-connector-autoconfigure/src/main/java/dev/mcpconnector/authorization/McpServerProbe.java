package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Asks a server, without credentials, whether it is an MCP server, which revision it speaks and
 * whether it wants authorization, through the egress-guarded client. First a 2026-07-28
 * {@code server/discover} request (the spec's {@code basic/versioning} rule, classified by
 * {@link RevisionClassifier}); without modern evidence, an MCP {@code initialize} request and
 * then the HTTP+SSE check, as for any server before 2026-07-28. A session the server opened is
 * closed again at once.
 */
class McpServerProbe {

	private static final Logger logger = LoggerFactory.getLogger(McpServerProbe.class);

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":"probe-1","method":"initialize","params":{"protocolVersion":"2025-11-25",\
			"capabilities":{},"clientInfo":{"name":"%s","version":"%s"}}}""";

	private static final String DISCOVER = "server/discover";

	private static final String META_PREFIX = "io.modelcontextprotocol/";

	/** The modern revisions this client speaks, preferred first. */
	static final List<String> MODERN_REVISIONS = List.of(RevisionClassifier.FIRST_MODERN_REVISION);

	private static final JsonMapper json = JsonMapper.shared();

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
		String revision = MODERN_REVISIONS.get(0);
		boolean corrected = false;
		for (;;) {
			EgressResponse response = null;
			RevisionClassifier.Outcome outcome;
			try {
				response = this.http.post(serverUrl, "application/json", discoverRequest(revision, corrected ? 2 : 1),
						Map.of("Accept", "application/json, text/event-stream", "MCP-Protocol-Version", revision,
								"Mcp-Method", DISCOVER));
				outcome = new RevisionClassifier.Outcome.Reply(response.status(),
						response.header("Content-Type").orElse(null), response.body());
			}
			catch (McpConnectorException ex) {
				if (!isNetworkError(ex)) {
					throw ex;
				}
				outcome = new RevisionClassifier.Outcome.Unreachable(ex.getMessage());
			}
			RevisionClassifier.Verdict verdict = RevisionClassifier.classify(outcome, MODERN_REVISIONS);
			if (verdict instanceof RevisionClassifier.Verdict.Modern modern) {
				logger.debug("{} speaks MCP {}", serverUrl.getHost(), modern.revision());
				return new Result(true, Optional.empty(), McpTransport.STREAMABLE_HTTP, modern.revision(),
						modern.discover());
			}
			if (verdict instanceof RevisionClassifier.Verdict.AuthorizationRequired) {
				return new Result(false, BearerChallenge.parse(response.headers().allValues("WWW-Authenticate")));
			}
			if (verdict instanceof RevisionClassifier.Verdict.Failed failed) {
				throw new McpConnectorException(failed.error(), (failed.error() == McpConnectorErrorCode.SERVER_UNREACHABLE)
						? "The MCP server at " + serverUrl.getHost() + " could not be reached: " + failed.reason()
						: "The server at " + serverUrl.getHost() + " " + failed.reason());
			}
			if (!(verdict instanceof RevisionClassifier.Verdict.Corrective corrective)) {
				return probeLegacy(serverUrl);
			}
			if (corrected) {
				throw new McpConnectorException(McpConnectorErrorCode.NOT_AN_MCP_SERVER, "The server at "
						+ serverUrl.getHost() + " refused MCP " + corrective.revision() + " twice although it lists it");
			}
			corrected = true;
			revision = corrective.revision();
		}
	}

	private static boolean isNetworkError(McpConnectorException ex) {
		return ex.error() == McpConnectorErrorCode.UPSTREAM_UNREACHABLE
				|| ex.error() == McpConnectorErrorCode.UPSTREAM_TIMEOUT;
	}

	/**
	 * A {@code server/discover} request with the {@code _meta} every 2026-07-28 request carries:
	 * the revision, the client's capabilities (none: a probe offers nothing) and its info.
	 */
	private byte[] discoverRequest(String revision, int attempt) {
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put(META_PREFIX + "protocolVersion", revision);
		meta.put(META_PREFIX + "clientCapabilities", Map.of());
		meta.put(META_PREFIX + "clientInfo", Map.of("name", this.clientName, "version", this.clientVersion));
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("jsonrpc", "2.0");
		request.put("id", "server-discover-probe-" + attempt);
		request.put("method", DISCOVER);
		request.put("params", Map.of("_meta", meta));
		return json.writeValueAsBytes(request);
	}

	/** The probe of a server without modern evidence: {@code initialize}, then HTTP+SSE. */
	private Result probeLegacy(URI serverUrl) {
		byte[] body = INITIALIZE.formatted(this.clientName, this.clientVersion).getBytes(StandardCharsets.UTF_8);
		EgressResponse response;
		try {
			response = this.http.post(serverUrl, "application/json", body,
					Map.of("Accept", "application/json, text/event-stream"));
		}
		catch (McpConnectorException ex) {
			if (!isNetworkError(ex)) {
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
			return new Result(true, Optional.empty(), McpTransport.STREAMABLE_HTTP, negotiated(response), null);
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

	/** The revision an {@code initialize} answer negotiated, or {@code null} when it names none. */
	private static String negotiated(EgressResponse response) {
		return RevisionClassifier.jsonRpcResponse(response.header("Content-Type").orElse(null), response.body())
			.map((message) -> message.path("result").path("protocolVersion"))
			.filter(JsonNode::isString)
			.map(JsonNode::asString)
			.filter((version) -> !version.isBlank() && version.length() <= 20)
			.orElse(null);
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
	 * @param protocolVersion the MCP revision it speaks: the modern one both sides speak, or what
	 * {@code initialize} negotiated; {@code null} when not known yet (authorization first, or an
	 * HTTP+SSE server, which is only initialized by its session)
	 * @param discover the {@code DiscoverResult} of a modern server, else {@code null}
	 */
	record Result(boolean open, Optional<BearerChallenge> challenge, McpTransport transport, String protocolVersion,
			JsonNode discover) {

		Result(boolean open, Optional<BearerChallenge> challenge) {
			this(open, challenge, McpTransport.STREAMABLE_HTTP, null, null);
		}

		Result(boolean open, Optional<BearerChallenge> challenge, McpTransport transport) {
			this(open, challenge, transport, null, null);
		}

	}

}
