package dev.mcpconnector.authorization;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.mcpconnector.McpConnectorErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Which MCP revision a server speaks, read from its answer to one 2026-07-28
 * {@code server/discover} request, by the rule of the spec's {@code basic/versioning} page and
 * the reference client's {@code classifyProbeOutcome}. Pure: no I/O and no state; the caller
 * sends the requests and allows at most one corrective retry.
 * <ul>
 * <li>a valid {@code DiscoverResult} naming a revision this client speaks: modern</li>
 * <li>{@code -32022} (unsupported protocol version) listing one: retry once at it</li>
 * <li>HTTP 401 or 403: authorization first, never a revision verdict</li>
 * <li>HTTP 500 and above, or no answer at all: an error</li>
 * <li>anything else (another 4xx without a modern error body, any other JSON-RPC error, a result
 * that is no {@code DiscoverResult}): legacy, so {@code initialize} decides</li>
 * </ul>
 */
final class RevisionClassifier {

	/** The first revision of the stateless era; later revisions compare greater. */
	static final String FIRST_MODERN_REVISION = "2026-07-28";

	/** JSON-RPC error code of {@code UnsupportedProtocolVersionError}. */
	static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

	private static final JsonMapper json = JsonMapper.shared();

	private RevisionClassifier() {
	}

	/**
	 * Classify one probe exchange.
	 * @param outcome what the server answered, or that it did not
	 * @param modernRevisions the modern revisions this client speaks, preferred first
	 * @return the verdict
	 */
	static Verdict classify(Outcome outcome, List<String> modernRevisions) {
		Assert.notNull(outcome, "outcome cannot be null");
		Assert.notEmpty(modernRevisions, "modernRevisions cannot be empty");
		if (outcome instanceof Outcome.Unreachable unreachable) {
			return new Verdict.Failed(McpConnectorErrorCode.SERVER_UNREACHABLE, unreachable.reason());
		}
		Outcome.Reply reply = (Outcome.Reply) outcome;
		int status = reply.status();
		if (status == 401 || status == 403) {
			return new Verdict.AuthorizationRequired();
		}
		if (status >= 500) {
			return new Verdict.Failed(McpConnectorErrorCode.NOT_AN_MCP_SERVER,
					"answered the MCP server/discover request with HTTP " + status);
		}
		Optional<JsonNode> message = jsonRpcResponse(reply.contentType(), reply.body());
		if (message.isEmpty()) {
			return new Verdict.Legacy();
		}
		JsonNode error = message.get().get("error");
		if (error != null && error.isObject()) {
			return classifyError(error, modernRevisions);
		}
		if (status >= 200 && status < 300) {
			return classifyResult(message.get().get("result"), modernRevisions);
		}
		return new Verdict.Legacy();
	}

	/**
	 * Whether a revision belongs to the stateless era (2026-07-28 and later).
	 * @param revision a revision, such as {@code 2025-11-25}
	 * @return whether it is modern
	 */
	static boolean isModern(String revision) {
		return revision != null && revision.compareTo(FIRST_MODERN_REVISION) >= 0;
	}

	private static Verdict classifyResult(JsonNode result, List<String> modernRevisions) {
		if (result == null || !result.isObject()) {
			return new Verdict.Legacy();
		}
		List<String> supported = strings(result.get("supportedVersions"));
		JsonNode capabilities = result.get("capabilities");
		if (supported == null || capabilities == null || !capabilities.isObject()) {
			return new Verdict.Legacy();
		}
		return modernRevisions.stream()
			.filter(supported::contains)
			.findFirst()
			.<Verdict>map((revision) -> new Verdict.Modern(revision, result))
			.orElseGet(Verdict.Legacy::new);
	}

	private static Verdict classifyError(JsonNode error, List<String> modernRevisions) {
		JsonNode code = error.get("code");
		if (code == null || !code.isIntegralNumber() || code.asInt() != UNSUPPORTED_PROTOCOL_VERSION) {
			return new Verdict.Legacy();
		}
		JsonNode data = error.get("data");
		List<String> supported = (data != null) ? strings(data.get("supported")) : null;
		if (supported == null || supported.isEmpty()) {
			return new Verdict.Legacy();
		}
		Optional<String> mutual = modernRevisions.stream().filter(supported::contains).findFirst();
		if (mutual.isPresent()) {
			return new Verdict.Corrective(mutual.get());
		}
		List<String> modern = supported.stream().filter(RevisionClassifier::isModern).toList();
		if (!modern.isEmpty()) {
			return new Verdict.Failed(McpConnectorErrorCode.NOT_AN_MCP_SERVER,
					"speaks only MCP revisions this client does not: " + String.join(", ", modern));
		}
		return new Verdict.Legacy();
	}

	/** The strings of a non-empty JSON array of strings, else {@code null}. */
	private static List<String> strings(JsonNode node) {
		if (node == null || !node.isArray()) {
			return null;
		}
		List<String> values = new ArrayList<>();
		for (JsonNode value : node) {
			if (!value.isString()) {
				return null;
			}
			values.add(value.asString());
		}
		return values;
	}

	/**
	 * The JSON-RPC response in a body: the body itself when it is JSON, the first
	 * {@code data:} event holding a response when it is an event stream.
	 */
	static Optional<JsonNode> jsonRpcResponse(String contentType, byte[] body) {
		if (body == null || body.length == 0) {
			return Optional.empty();
		}
		String type = (contentType != null) ? contentType.toLowerCase(Locale.ROOT) : "";
		String text = new String(body, StandardCharsets.UTF_8);
		if (type.startsWith("text/event-stream")) {
			return eventStreamResponse(text);
		}
		return parse(text).filter(RevisionClassifier::isResponse);
	}

	private static Optional<JsonNode> eventStreamResponse(String text) {
		StringBuilder data = new StringBuilder();
		for (String line : (text + "\n\n").split("\r\n|\r|\n", -1)) {
			if (line.isEmpty()) {
				Optional<JsonNode> message = parse(data.toString()).filter(RevisionClassifier::isResponse);
				if (message.isPresent()) {
					return message;
				}
				data.setLength(0);
			}
			else if (line.startsWith("data:")) {
				data.append(line.substring(line.startsWith("data: ") ? 6 : 5)).append('\n');
			}
		}
		return Optional.empty();
	}

	private static Optional<JsonNode> parse(String text) {
		if (text.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(json.readTree(text));
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
	}

	private static boolean isResponse(JsonNode node) {
		return node.isObject() && (node.has("result") || node.has("error"));
	}

	/** What one probe exchange produced. */
	sealed interface Outcome {

		/**
		 * The server answered.
		 * @param status the HTTP status
		 * @param contentType the {@code Content-Type}, or {@code null}
		 * @param body the body, possibly empty
		 */
		record Reply(int status, String contentType, byte[] body) implements Outcome {

		}

		/**
		 * No answer: the connection failed or timed out.
		 * @param reason why, for the error message
		 */
		record Unreachable(String reason) implements Outcome {

		}

	}

	/** What a probe exchange says about the server. */
	sealed interface Verdict {

		/**
		 * It speaks a modern revision.
		 * @param revision the revision both sides speak
		 * @param discover the {@code DiscoverResult}
		 */
		record Modern(String revision, JsonNode discover) implements Verdict {

		}

		/**
		 * It refused the revision asked for and named one this client speaks: ask once more.
		 * @param revision the revision to ask for
		 */
		record Corrective(String revision) implements Verdict {

		}

		/** No modern evidence: it speaks an earlier revision, {@code initialize} decides. */
		record Legacy() implements Verdict {

		}

		/** HTTP 401 or 403: the revision is found once the caller is authorized. */
		record AuthorizationRequired() implements Verdict {

		}

		/**
		 * The server cannot be used.
		 * @param error the error code
		 * @param reason why, for the error message
		 */
		record Failed(McpConnectorErrorCode error, String reason) implements Verdict {

		}

	}

}
