package dev.mcpconnector.authorization;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.authorization.RevisionClassifier.Outcome;
import dev.mcpconnector.authorization.RevisionClassifier.Verdict;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RevisionClassifier}: one test per row of the spec's rule for finding a server's
 * revision from its answer to a 2026-07-28 {@code server/discover} request.
 */
@Tag("fast")
class RevisionClassifierTests {

	private static final List<String> CLIENT = List.of("2026-07-28");

	private static final String DISCOVER_RESULT = """
			{"jsonrpc":"2.0","id":"server-discover-probe-1","result":{"supportedVersions":["2026-07-28"],
			"capabilities":{"tools":{}},"ttlMs":0,"cacheScope":"private","resultType":"complete"}}""";

	@Test
	void classifyWhenValidDiscoverResultNamingOurRevisionThenModernWithTheResult() {
		Verdict verdict = classify(reply(200, "application/json", DISCOVER_RESULT));
		assertThat(verdict).isInstanceOfSatisfying(Verdict.Modern.class, (modern) -> {
			assertThat(modern.revision()).isEqualTo("2026-07-28");
			assertThat(modern.discover().path("capabilities").has("tools")).isTrue();
		});
	}

	@Test
	void classifyWhenDiscoverResultArrivesAsAnEventStreamThenModern() {
		String stream = "event: message\nid: 1\ndata: " + DISCOVER_RESULT.replace("\n", "") + "\n\n";
		assertThat(classify(reply(200, "text/event-stream", stream))).isInstanceOf(Verdict.Modern.class);
	}

	@Test
	void classifyWhenDiscoverResultListsOnlyRevisionsWeDoNotSpeakThenLegacy() {
		String result = DISCOVER_RESULT.replace("[\"2026-07-28\"]", "[\"2027-01-01\"]");
		assertThat(classify(reply(200, "application/json", result))).isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhenResultIsNoDiscoverResultThenLegacy() {
		// What 2025 servers that answer every method with an empty result send.
		assertThat(classify(reply(200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"result\":{}}")))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhenMethodNotFoundThenLegacy() {
		assertThat(classify(reply(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}")))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhenSessionNotFoundErrorThenLegacy() {
		// -32001 is what 2025 stateful servers answer without a session: no era evidence.
		assertThat(classify(reply(404, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}")))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhen400WithUnsupportedVersionListingModernThenCorrective() {
		Verdict verdict = classify(reply(400, "application/json", unsupported("[\"2025-11-25\",\"2026-07-28\"]")));
		assertThat(verdict).isEqualTo(new Verdict.Corrective("2026-07-28"));
	}

	@Test
	void classifyWhenUnsupportedVersionPicksTheFirstOfOursTheServerListsThenCorrectiveAtIt() {
		Verdict verdict = RevisionClassifier.classify(reply(400, "application/json", unsupported("[\"2026-07-28\"]")),
				List.of("2027-03-01", "2026-07-28"));
		assertThat(verdict).isEqualTo(new Verdict.Corrective("2026-07-28"));
	}

	@Test
	void classifyWhenUnsupportedVersionListsOnlyModernRevisionsWeDoNotSpeakThenFailed() {
		Verdict verdict = classify(reply(400, "application/json", unsupported("[\"2027-03-01\"]")));
		assertThat(verdict).isInstanceOfSatisfying(Verdict.Failed.class, (failed) -> {
			assertThat(failed.error()).isEqualTo(McpConnectorErrorCode.NOT_AN_MCP_SERVER);
			assertThat(failed.reason()).contains("2027-03-01");
		});
	}

	@Test
	void classifyWhenUnsupportedVersionListsOnlyLegacyRevisionsThenLegacy() {
		assertThat(classify(reply(400, "application/json", unsupported("[\"2025-06-18\",\"2025-11-25\"]"))))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhenUnsupportedVersionWithoutAListThenLegacy() {
		assertThat(classify(reply(400, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"error\":{\"code\":-32022,\"message\":\"Unsupported\"}}")))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhen401ThenAuthorizationRequiredNeverARevision() {
		assertThat(classify(reply(401, "application/json", unsupported("[\"2026-07-28\"]"))))
			.isInstanceOf(Verdict.AuthorizationRequired.class);
	}

	@Test
	void classifyWhen403ThenAuthorizationRequired() {
		assertThat(classify(reply(403, null, ""))).isInstanceOf(Verdict.AuthorizationRequired.class);
	}

	@Test
	void classifyWhen500ThenFailed() {
		assertThat(classify(reply(500, "application/json", DISCOVER_RESULT)))
			.isEqualTo(new Verdict.Failed(McpConnectorErrorCode.NOT_AN_MCP_SERVER,
					"answered the MCP server/discover request with HTTP 500"));
	}

	@Test
	void classifyWhen503ThenFailed() {
		assertThat(classify(reply(503, "text/plain", "busy"))).isInstanceOf(Verdict.Failed.class);
	}

	@Test
	void classifyWhenNetworkErrorThenServerUnreachable() {
		assertThat(classify(new Outcome.Unreachable("Request to h failed: ConnectException")))
			.isEqualTo(new Verdict.Failed(McpConnectorErrorCode.SERVER_UNREACHABLE,
					"Request to h failed: ConnectException"));
	}

	@Test
	void classifyWhen400WithoutAJsonRpcBodyThenLegacy() {
		assertThat(classify(reply(400, "text/plain", "Bad Request: No valid session ID provided")))
			.isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhen404Or405WithoutABodyThenLegacy() {
		assertThat(classify(reply(404, null, ""))).isInstanceOf(Verdict.Legacy.class);
		assertThat(classify(reply(405, null, ""))).isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhen4xxCarriesADiscoverResultThenLegacy() {
		// Only a 2xx result counts as modern evidence.
		assertThat(classify(reply(400, "application/json", DISCOVER_RESULT))).isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void classifyWhen2xxIsNotJsonRpcThenLegacySoInitializeDecides() {
		assertThat(classify(reply(200, "text/html", "<html>hello</html>"))).isInstanceOf(Verdict.Legacy.class);
		assertThat(classify(reply(202, null, ""))).isInstanceOf(Verdict.Legacy.class);
	}

	@Test
	void isModernWhenRevisionIs2026_07_28OrLaterThenTrue() {
		assertThat(RevisionClassifier.isModern("2026-07-28")).isTrue();
		assertThat(RevisionClassifier.isModern("2027-01-01")).isTrue();
		assertThat(RevisionClassifier.isModern("2025-11-25")).isFalse();
		assertThat(RevisionClassifier.isModern(null)).isFalse();
	}

	private static Verdict classify(Outcome outcome) {
		return RevisionClassifier.classify(outcome, CLIENT);
	}

	private static Outcome reply(int status, String contentType, String body) {
		return new Outcome.Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	private static String unsupported(String supported) {
		return "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"error\":{\"code\":-32022,\"message\":\"Unsupported protocol version\","
				+ "\"data\":{\"supported\":" + supported + ",\"requested\":\"2026-07-28\"}}}";
	}

}
