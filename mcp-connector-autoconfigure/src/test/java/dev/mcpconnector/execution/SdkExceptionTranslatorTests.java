package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.execution.SdkExceptionTranslator.Kind;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.client.McpInputHandlerMissingException;
import io.modelcontextprotocol.modern.client.McpInputRoundsExceededException;
import io.modelcontextprotocol.modern.client.McpResponseLostException;
import io.modelcontextprotocol.modern.client.McpTimeoutException;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translator decides by the exception's type and the recorded HTTP status, never by the
 * message: each case uses the SDK's own exception types with messages that say nothing (or
 * the opposite).
 */
@Tag("fast")
class SdkExceptionTranslatorTests {

	private static final UUID CONNECTION = UUID.randomUUID();

	private final SdkExceptionTranslator translator = new SdkExceptionTranslator();

	@Test
	void classifyWhenTransportAuthorizationExceptionThenAuthorization() {
		McpHttpClientTransportAuthorizationException denied = new McpHttpClientTransportAuthorizationException(
				"irrelevant", new HttpRequestSnapshot(URI.create("http://127.0.0.1/mcp"), "POST", headers(Map.of())),
				responseInfo(401));
		assertThat(this.translator.classify(new RuntimeException(denied), List.of())).isEqualTo(Kind.AUTHORIZATION);
	}

	@Test
	void classifyWhenSessionNotFoundThenSessionLost() {
		assertThat(this.translator.classify(new McpTransportSessionNotFoundException("x"), List.of()))
			.isEqualTo(Kind.SESSION_LOST);
	}

	@Test
	void classifyWhenSocketRefusedOrExchangeGotNoAnswerThenSessionLost() {
		assertThat(this.translator.classify(new RuntimeException(new ConnectException("x")), List.of()))
			.isEqualTo(Kind.SESSION_LOST);
		assertThat(this.translator.classify(new McpTransportException("x"), List.of(new IOException("x"))))
			.isEqualTo(Kind.SESSION_LOST);
		assertThat(this.translator.classify(new McpTransportException("x"), List.of(status("POST", 404, true))))
			.isEqualTo(Kind.SESSION_LOST);
		// A restarted server answers 400 to the old session id; the SDK then fails the pending
		// request with a bare RuntimeException.
		assertThat(this.translator.classify(new RuntimeException("x"), List.of(status("POST", 400, true))))
			.isEqualTo(Kind.SESSION_LOST);
	}

	@Test
	void classifyWhenConnectTimedOutThenNotSessionLost() {
		assertThat(this.translator.classify(new McpTransportException("Connection refused"),
				List.of(new HttpConnectTimeoutException("Connection reset"))))
			.isEqualTo(Kind.FAILED);
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 405 })
	void classifyWhenPostRefusedWithStatusThenStreamableRefused(int status) {
		// The message is not the SDK's: only the recorded status decides.
		assertThat(this.translator.classify(new McpTransportException("nothing to see"),
				List.of(status("POST", status, false))))
			.isEqualTo(Kind.STREAMABLE_REFUSED);
	}

	@Test
	void classifyWhenSdkRefusalTextButNoStatusThenFailed() {
		assertThat(this.translator.classify(
				new McpTransportException("Server Not Found. Status code:404, response-event: x"), List.of()))
			.isEqualTo(Kind.FAILED);
		assertThat(this.translator.classify(
				new RuntimeException("Sending message failed with a non-OK HTTP code: 401"), List.of()))
			.isEqualTo(Kind.FAILED);
	}

	@Test
	void classifyWhenStatusOtherThanARefusalOrOnGetThenFailed() {
		assertThat(this.translator.classify(new McpTransportException("x"), List.of(status("POST", 500, false))))
			.isEqualTo(Kind.FAILED);
		assertThat(this.translator.classify(new McpTransportException("x"), List.of(status("GET", 405, false))))
			.isEqualTo(Kind.FAILED);
	}

	@Test
	void classifyWhen401RecordedThenUnauthorized() {
		assertThat(this.translator.classify(new RuntimeException("x"), List.of(status("GET", 401, false))))
			.isEqualTo(Kind.UNAUTHORIZED);
		assertThat(this.translator.classify(new RuntimeException("x"),
				List.of(status("POST", 404, false), status("POST", 401, true))))
			.isEqualTo(Kind.UNAUTHORIZED);
	}

	@Test
	void classifyWhenServerAnsweredJsonRpcErrorThenFailedWhateverTheWireDid() {
		McpError error = new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32602, "Connection refused", null));
		assertThat(this.translator.classify(error, List.of(new IOException("x")))).isEqualTo(Kind.FAILED);
		assertThat(this.translator.translate(CONNECTION, "Calling tool x", error))
			.isInstanceOfSatisfying(McpExecutionException.class, (ex) -> {
				assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);
				assertThat(ex.jsonRpcCode()).isEqualTo(-32602);
				assertThat(ex.connectionId()).isEqualTo(CONNECTION);
			});
	}

	@Test
	void translateWhenTimeoutThenTypedTimeout() {
		RuntimeException ex = new RuntimeException(new TimeoutException("MCP session with server terminated"));
		assertThat(this.translator.classify(ex, List.of(new IOException("x")))).isEqualTo(Kind.FAILED);
		assertThat(this.translator.translate(CONNECTION, "Calling tool x", ex))
			.isInstanceOfSatisfying(McpExecutionException.class, (typed) -> assertThat(typed.isTimeout()).isTrue());
	}

	@Test
	void translateWhenConnectorExceptionInsideThenThatException() {
		McpConnectorException missing = new McpConnectorException(McpConnectorErrorCode.CONNECTION_NOT_FOUND, "No such connection");
		RuntimeException wrapped = new RuntimeException(new IllegalStateException(missing));
		assertThat(this.translator.classify(wrapped, List.of())).isEqualTo(Kind.CONNECTOR);
		assertThat(this.translator.translate(CONNECTION, "x", wrapped)).isSameAs(missing);
	}

	@Test
	void translateWhenAnythingElseThenUnreachableWithoutTheMessage() {
		RuntimeException ex = new IllegalStateException("Server does not provide the resources capability secret");
		assertThat(this.translator.translate(CONNECTION, "Listing resources", ex))
			.isInstanceOfSatisfying(McpExecutionException.class, (typed) -> {
				assertThat(typed.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE);
				assertThat(typed.getMessage()).doesNotContain("secret");
			});
	}

	@Test
	void classifyModernWhen401Or403ThenAuthorizationWithTheResponseHeaders() {
		for (int code : new int[] { 401, 403 }) {
			McpHttpStatusException denied = new McpHttpStatusException(URI.create("http://127.0.0.1/mcp"), code,
					headers(Map.of("WWW-Authenticate", List.of("Bearer error=\"insufficient_scope\", scope=\"a b\""))),
					"irrelevant");
			assertThat(this.translator.classifyModern(new RuntimeException(denied), List.of()))
				.isEqualTo(Kind.AUTHORIZATION);
			assertThat(SdkExceptionTranslator.denied(denied)).hasValueSatisfying((d) -> {
				assertThat(d.status()).isEqualTo(code);
				assertThat(d.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\", scope=\"a b\"");
			});
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 405 })
	void classifyModernWhenRefusedWithoutJsonRpcErrorThenEraChanged(int code) {
		McpHttpStatusException refused = new McpHttpStatusException(URI.create("http://127.0.0.1/mcp"), code,
				headers(Map.of()), "Session required");
		assertThat(this.translator.classifyModern(refused, List.of())).isEqualTo(Kind.ERA_CHANGED);
	}

	@Test
	void classifyModernWhenOlderServersErrorOn4xxThenEraChangedButModernErrorsAreTheServersAnswer() {
		List<Throwable> refused = List.of(status("POST", 400, false));
		assertThat(this.translator.classifyModern(new McpException(-32000, "anything"), refused))
			.isEqualTo(Kind.ERA_CHANGED);
		for (int code : new int[] { -32022, -32021, -32020, -32601, -32602 }) {
			assertThat(this.translator.classifyModern(new McpException(code, "Session ID required"), refused))
				.isEqualTo(Kind.FAILED);
		}
		// Answered with 200: the server's own error, whatever it is.
		assertThat(this.translator.classifyModern(new McpException(-32000, "x"), List.of())).isEqualTo(Kind.FAILED);
	}

	@Test
	void classifyModernWhenLostOrRefusedConnectionThenFailedAndNeverReplayed() {
		assertThat(this.translator.classifyModern(new McpResponseLostException("tools/call", new IOException("x")),
				List.of(new IOException("reset")))).isEqualTo(Kind.FAILED);
		assertThat(this.translator.classifyModern(new RuntimeException(new ConnectException("x")), List.of()))
			.isEqualTo(Kind.FAILED);
	}

	@Test
	void translateModernTypesByTypeNotText() {
		McpExecutionException rpc = (McpExecutionException) this.translator.translate(CONNECTION, "Calling tool x",
				new McpException(-32602, "timeout while unreachable"));
		assertThat(rpc.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);
		assertThat(rpc.jsonRpcCode()).isEqualTo(-32602);
		McpExecutionException timeout = (McpExecutionException) this.translator.translate(CONNECTION, "Calling tool x",
				new McpTimeoutException(McpTimeoutException.Kind.ROUND, java.time.Duration.ofSeconds(1), "tools/call"));
		assertThat(timeout.isTimeout()).isTrue();
		McpExecutionException lost = (McpExecutionException) this.translator.translate(CONNECTION, "Calling tool x",
				new McpResponseLostException("tools/call", new IOException("server error 500")));
		assertThat(lost.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE);
		McpExecutionException status = (McpExecutionException) this.translator.translate(CONNECTION, "Calling tool x",
				new McpHttpStatusException(URI.create("http://127.0.0.1/mcp"), 502, headers(Map.of()), "-32602"));
		assertThat(status.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_UNREACHABLE);
	}

	@Test
	void translateWhenServerAskedForInputNotOfferedOrTooManyRoundsThenUpstreamErrorNotUnreachable() {
		McpInputHandlerMissingException missing = new McpInputHandlerMissingException("sign-in",
				new io.modelcontextprotocol.modern.McpSchema.ElicitInputRequest(
						new io.modelcontextprotocol.modern.McpSchema.ElicitUrlRequest("Sign in", "https://example.com/x",
								null)));
		assertThat(this.translator.classifyModern(new RuntimeException(missing), List.of(status("POST", 400, false))))
			.isEqualTo(Kind.FAILED);
		McpExecutionException unoffered = (McpExecutionException) this.translator.translate(CONNECTION,
				"Calling tool x", new RuntimeException("unreachable timeout", missing));
		assertThat(unoffered.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);
		assertThat(unoffered.jsonRpcCode()).isNull();
		assertThat(unoffered.getMessage()).contains("elicitation/create in url mode", "does not offer");

		McpInputRoundsExceededException rounds = new McpInputRoundsExceededException("tools/call", 10);
		assertThat(this.translator.classifyModern(rounds, List.of())).isEqualTo(Kind.FAILED);
		McpExecutionException exceeded = (McpExecutionException) this.translator.translate(CONNECTION,
				"Calling tool x", rounds);
		assertThat(exceeded.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_ERROR);
		assertThat(exceeded.isTimeout()).isFalse();
		assertThat(exceeded.getMessage()).contains("after 10 rounds");
	}

	private static UpstreamHttpStatusException status(String method, int status, boolean inSession) {
		return new UpstreamHttpStatusException(method, status, inSession);
	}

	private static HttpHeaders headers(Map<String, List<String>> values) {
		return HttpHeaders.of(values, (name, value) -> true);
	}

	private static HttpResponse.ResponseInfo responseInfo(int status) {
		return new HttpResponse.ResponseInfo() {

			@Override
			public int statusCode() {
				return status;
			}

			@Override
			public HttpHeaders headers() {
				return SdkExceptionTranslatorTests.headers(Map.of());
			}

			@Override
			public HttpClient.Version version() {
				return HttpClient.Version.HTTP_1_1;
			}

		};
	}

}
