package dev.mcpconnector;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mcpconnector.approval.ApprovalPendingException;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.ratelimit.RateLimit;
import dev.mcpconnector.ratelimit.RateLimitExceededException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link McpConnectorErrorCode}: stable codes, their statuses and Problem Details types, and
 * the code each connector exception carries.
 */
@Tag("fast")
class McpConnectorErrorCodeTests {

	private static final UUID CONNECTION_ID = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

	@Test
	void codesAreUnique() {
		Set<String> codes = Arrays.stream(McpConnectorErrorCode.values())
			.map(McpConnectorErrorCode::code)
			.collect(Collectors.toSet());
		assertThat(codes).hasSize(McpConnectorErrorCode.values().length);
	}

	@ParameterizedTest
	@EnumSource(McpConnectorErrorCode.class)
	void codeIsLowerCaseHyphenated(McpConnectorErrorCode error) {
		assertThat(error.code()).matches("[a-z]+(-[a-z]+)*");
	}

	@ParameterizedTest
	@EnumSource(McpConnectorErrorCode.class)
	void ofCodeWhenCodeOfAConstantThenThatConstant(McpConnectorErrorCode error) {
		assertThat(McpConnectorErrorCode.ofCode(error.code())).isSameAs(error);
	}

	@ParameterizedTest
	@ValueSource(strings = { "no-such-code", "CONNECTION-NOT-FOUND", "connection_not_found", "CONNECTION_NOT_FOUND",
			" connection-not-found", "" })
	void ofCodeWhenUnknownThenIllegalArgument(String code) {
		assertThatIllegalArgumentException().isThrownBy(() -> McpConnectorErrorCode.ofCode(code))
			.withMessageContaining("Unknown mcp-connector error code");
	}

	@Test
	void ofCodeWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> McpConnectorErrorCode.ofCode(null));
	}

	@ParameterizedTest
	@EnumSource(McpConnectorErrorCode.class)
	void typeIsTheUrnOfTheCode(McpConnectorErrorCode error) {
		URI type = error.type();
		assertThat(type).isEqualTo(URI.create("urn:mcp-connector:problem:" + error.code()));
		assertThat(type.isAbsolute()).isTrue();
		assertThat(type.getScheme()).isEqualTo("urn");
		assertThat(type.toString()).startsWith(McpConnectorErrorCode.TYPE_PREFIX);
	}

	@ParameterizedTest
	@EnumSource(McpConnectorErrorCode.class)
	void titleIsShortAndStatusIsSet(McpConnectorErrorCode error) {
		assertThat(error.title()).isNotBlank().hasSizeLessThan(40).doesNotEndWith(".");
		assertThat(Character.isUpperCase(error.title().charAt(0))).isTrue();
		assertThat(error.status()).isNotNull();
	}

	@ParameterizedTest
	@EnumSource(value = McpConnectorErrorCode.class, names = "APPROVAL_PENDING", mode = EnumSource.Mode.EXCLUDE)
	void statusOfEveryErrorButAPendingApprovalIsAnError(McpConnectorErrorCode error) {
		assertThat(error.status().isError()).isTrue();
	}

	static Stream<Arguments> exceptions() {
		RateLimit limit = RateLimit.of(5, Duration.ofMinutes(1));
		return Stream.of(
				Arguments.of(McpConnectionRepository.connectionNotFound(), McpConnectorErrorCode.CONNECTION_NOT_FOUND,
						HttpStatus.NOT_FOUND),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl is required"),
						McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, HttpStatus.BAD_REQUEST),
				Arguments.of(McpConnectionRepository.concurrentlyModified(CONNECTION_ID),
						McpConnectorErrorCode.CONNECTION_CONCURRENTLY_MODIFIED, HttpStatus.CONFLICT),
				Arguments.of(new StorageUnavailableException("database down", new IllegalStateException()),
						McpConnectorErrorCode.STORAGE_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "no metadata"),
						McpConnectorErrorCode.DISCOVERY_FAILED,
						HttpStatus.BAD_GATEWAY),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.NOT_AN_MCP_SERVER, "not MCP"),
						McpConnectorErrorCode.NOT_AN_MCP_SERVER, HttpStatus.UNPROCESSABLE_CONTENT),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED, "registration refused"),
						McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED, HttpStatus.BAD_GATEWAY),
				Arguments.of(new AuthorizationRequiredException(CONNECTION_ID, null, false, "authorize first"),
						McpConnectorErrorCode.AUTHORIZATION_REQUIRED, HttpStatus.CONFLICT),
				Arguments.of(new AuthorizationRequiredException(CONNECTION_ID, null, true, "more scopes"),
						McpConnectorErrorCode.STEP_UP_REQUIRED, HttpStatus.CONFLICT),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK, "unknown state"),
						McpConnectorErrorCode.INVALID_AUTHORIZATION_CALLBACK, HttpStatus.BAD_REQUEST),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.INVALID_ID_TOKEN, "ID token refused"),
						McpConnectorErrorCode.INVALID_ID_TOKEN, HttpStatus.BAD_GATEWAY),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.REMOTE_ACCOUNT_MISMATCH, "another account"),
						McpConnectorErrorCode.REMOTE_ACCOUNT_MISMATCH, HttpStatus.CONFLICT),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.TOKEN_REQUEST_FAILED, "refresh refused"),
						McpConnectorErrorCode.TOKEN_REQUEST_FAILED, HttpStatus.BAD_GATEWAY),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "internal address"),
						McpConnectorErrorCode.EGRESS_DENIED,
						HttpStatus.BAD_REQUEST),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.UPSTREAM_TIMEOUT, "timed out"),
						McpConnectorErrorCode.UPSTREAM_TIMEOUT,
						HttpStatus.GATEWAY_TIMEOUT),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE, "refused"),
						McpConnectorErrorCode.UPSTREAM_UNREACHABLE,
						HttpStatus.BAD_GATEWAY),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.UPSTREAM_TIMEOUT, "tools/call timed out"),
						McpConnectorErrorCode.UPSTREAM_TIMEOUT, HttpStatus.GATEWAY_TIMEOUT),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.TOOL_NOT_FOUND, "No such tool"),
						McpConnectorErrorCode.TOOL_NOT_FOUND, HttpStatus.NOT_FOUND),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED, "The tool send_email is not allowed"),
						McpConnectorErrorCode.TOOL_DENIED,
						HttpStatus.FORBIDDEN),
				Arguments.of(new ApprovalPendingException(CONNECTION_ID), McpConnectorErrorCode.APPROVAL_PENDING,
						HttpStatus.ACCEPTED),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.APPROVAL_DENIED, "The call was denied"),
						McpConnectorErrorCode.APPROVAL_DENIED,
						HttpStatus.FORBIDDEN),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.APPROVAL_NOT_FOUND, "No such pending approval"),
						McpConnectorErrorCode.APPROVAL_NOT_FOUND,
						HttpStatus.NOT_FOUND),
				Arguments.of(new RateLimitExceededException(RateLimit.Scope.USER, limit, Duration.ofSeconds(3)),
						McpConnectorErrorCode.RATE_LIMITED, HttpStatus.TOO_MANY_REQUESTS),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED, "tag mismatch"),
						McpConnectorErrorCode.SECRET_DECRYPTION_FAILED, HttpStatus.INTERNAL_SERVER_ERROR),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.INVALID_ENCRYPTION_KEY, "no key"),
						McpConnectorErrorCode.INVALID_ENCRYPTION_KEY, HttpStatus.INTERNAL_SERVER_ERROR),
				Arguments.of(new McpConnectorException(McpConnectorErrorCode.KEY_STILL_IN_USE, "in use"),
						McpConnectorErrorCode.KEY_STILL_IN_USE,
						HttpStatus.CONFLICT));
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("exceptions")
	void exceptionCarriesItsCodeAndAnswersWithItsStatus(McpConnectorException ex, McpConnectorErrorCode expected,
			HttpStatus status) {
		assertThat(ex.error()).isSameAs(expected);
		assertThat(ex.errorCode()).isEqualTo(expected.code());
		assertThat(ex.getStatusCode()).isEqualTo(status);
		assertThat(expected.status()).isEqualTo(status);
		assertThat(ex).isInstanceOf(ErrorResponse.class);
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("exceptions")
	void exceptionBodyIsProblemDetailsOfItsCode(McpConnectorException ex, McpConnectorErrorCode expected,
			HttpStatus status) {
		ProblemDetail body = ex.getBody();
		assertThat(body.getStatus()).isEqualTo(status.value());
		assertThat(body.getType()).isEqualTo(expected.type());
		assertThat(body.getTitle()).isEqualTo(expected.title());
		assertThat(body.getDetail()).isEqualTo(
				(status == HttpStatus.INTERNAL_SERVER_ERROR) ? McpConnectorException.INTERNAL_DETAIL : ex.getMessage());
		assertThat(body.getProperties()).containsEntry("code", expected.code());
	}

	@Test
	void approvalPendingWhenAnsweredThenBodyNamesTheApproval() {
		UUID approval = UUID.randomUUID();
		assertThat(new ApprovalPendingException(approval).getBody().getProperties()).containsEntry("approvalId",
				approval);
	}

	@Test
	void secretDecryptionFailedWhenAnsweredThenDetailKeepsKeysAndRowsToTheLog() {
		McpConnectorException ex = new McpConnectorException(McpConnectorErrorCode.SECRET_DECRYPTION_FAILED,
				"Secret encrypted with key 'k1' was altered");
		assertThat(ex.getBody().getDetail()).isEqualTo(McpConnectorException.INTERNAL_DETAIL).doesNotContain("k1");
	}

	@Test
	void rateLimitExceededWhenAnsweredThenRetryAfterHeaderAndScopeInTheBody() {
		RateLimitExceededException ex = new RateLimitExceededException(RateLimit.Scope.CONNECTION,
				RateLimit.of(5, Duration.ofMinutes(1)), Duration.ofMillis(2500));
		assertThat(ex.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
		assertThat(ex.getBody().getProperties()).containsEntry("scope", "connection")
			.containsEntry("retryAfterSeconds", 3L);
	}

	@Test
	void authorizationRequiredWhenUrlKnownThenBodyCarriesItAndTheConnection() {
		URI url = URI.create("https://as.example/authorize?client_id=c");
		ProblemDetail withUrl = new AuthorizationRequiredException(CONNECTION_ID, url, false, "authorize").getBody();
		assertThat(withUrl.getProperties()).containsEntry("connectionId", CONNECTION_ID)
			.containsEntry("authorizationUrl", url);
		ProblemDetail withoutUrl = new AuthorizationRequiredException(CONNECTION_ID, null, false, "authorize")
			.getBody();
		assertThat(withoutUrl.getProperties()).containsEntry("connectionId", CONNECTION_ID)
			.doesNotContainKey("authorizationUrl");
	}

	@Test
	void exceptionWithoutOwnHeadersAnswersWithNone() {
		assertThat(new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED, "The tool send_email is not allowed")
			.getHeaders()
			.isEmpty()).isTrue();
		assertThat(McpConnectionRepository.connectionNotFound().getHeaders().isEmpty()).isTrue();
	}

	@Test
	void executionTimeoutsAreTellableApartFromOtherFailuresByTheirCode() {
		// the typed side is in execution.McpExecutionExceptionTests (its type is internal to execution)
		McpConnectorException timeout = new McpConnectorException(McpConnectorErrorCode.UPSTREAM_TIMEOUT,
				"initialize timed out");
		McpConnectorException failed = new McpConnectorException(McpConnectorErrorCode.UPSTREAM_ERROR, "failed");
		assertThat(timeout.error()).isEqualTo(McpConnectorErrorCode.UPSTREAM_TIMEOUT);
		assertThat(failed.error()).isNotEqualTo(McpConnectorErrorCode.UPSTREAM_TIMEOUT);
	}

}
