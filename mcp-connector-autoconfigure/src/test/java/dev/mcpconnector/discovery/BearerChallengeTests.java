package dev.mcpconnector.discovery;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link BearerChallenge}: the {@code Bearer} challenge of {@code WWW-Authenticate} in RFC 9110
 * syntax, with the RFC 6750 and RFC 9728 parameters.
 */
@Tag("fast")
class BearerChallengeTests {

	@Test
	void parseWhenBearerWithQuotedParamsThenEachIsRead() {
		BearerChallenge challenge = parse("Bearer realm=\"mcp\", error=\"invalid_token\", "
				+ "error_description=\"The access token expired\", "
				+ "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\"");
		assertThat(challenge.params()).containsExactly(Map.entry("realm", "mcp"), Map.entry("error", "invalid_token"),
				Map.entry("error_description", "The access token expired"), Map.entry("resource_metadata",
						"https://mcp.example.com/.well-known/oauth-protected-resource"));
		assertThat(challenge.resourceMetadata())
			.contains("https://mcp.example.com/.well-known/oauth-protected-resource");
		assertThat(challenge.error()).contains("invalid_token");
		assertThat(challenge.isInvalidToken()).isTrue();
		assertThat(challenge.isInsufficientScope()).isFalse();
	}

	@Test
	void parseWhenBearerAloneThenChallengeWithoutParams() {
		BearerChallenge challenge = parse("Bearer");
		assertThat(challenge.params()).isEmpty();
		assertThat(challenge.resourceMetadata()).isEmpty();
		assertThat(challenge.error()).isEmpty();
		assertThat(challenge.scopes()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "bearer error=\"invalid_token\"", "BEARER error=\"invalid_token\"",
			"BeArEr error=\"invalid_token\"" })
	void parseWhenSchemeInAnyCaseThenFound(String header) {
		assertThat(parse(header).isInvalidToken()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Basic realm=\"x\"", "DPoPish algs=\"ES256 PS256\"", "Bearerish error=\"invalid_token\"",
			"Negotiate", "", "   ", ",,,", "realm=\"Bearer\"" })
	void parseWhenNoBearerChallengeThenEmpty(String header) {
		assertThat(BearerChallenge.parse(header)).isEmpty();
	}

	@Test
	void parseWhenNullThenEmpty() {
		assertThat(BearerChallenge.parse((String) null)).isEmpty();
		assertThat(BearerChallenge.parse((List<String>) null)).isEmpty();
	}

	@Test
	void parseWhenQuotedScopeThenUnquotedAndSplitInOrder() {
		BearerChallenge challenge = parse("Bearer error=\"insufficient_scope\", scope=\"files:read files:write\"");
		assertThat(challenge.scopes()).containsExactly("files:read", "files:write");
		assertThat(challenge.isInsufficientScope()).isTrue();
	}

	@Test
	void parseWhenScopeHasExtraWhitespaceAndRepeatsThenEachScopeOnceInOrder() {
		BearerChallenge challenge = parse("Bearer scope=\"  b\ta   b  c \"");
		assertThat(challenge.scopes()).containsExactly("b", "a", "c");
	}

	@Test
	void parseWhenScopeBlankThenNoScopes() {
		assertThat(parse("Bearer scope=\"   \"").scopes()).isEmpty();
		assertThat(parse("Bearer scope=\"\"").scopes()).isEmpty();
	}

	@Test
	void parseWhenUnquotedValuesThenReadUpToCommaOrSpace() {
		BearerChallenge challenge = parse("Bearer error=insufficient_scope,scope=read resource_metadata=https://a.example/x");
		assertThat(challenge.error()).contains("insufficient_scope");
		assertThat(challenge.scopes()).containsExactly("read");
		assertThat(challenge.resourceMetadata()).contains("https://a.example/x");
	}

	@Test
	void parseWhenQuotedValueHasEscapesThenUnescaped() {
		BearerChallenge challenge = parse("Bearer error_description=\"say \\\"hi\\\" to C:\\\\temp\"");
		assertThat(challenge.params()).containsEntry("error_description", "say \"hi\" to C:\\temp");
	}

	@Test
	void parseWhenQuotedValueHasCommasAndEqualsThenKeptInsideTheValue() {
		BearerChallenge challenge = parse("Bearer error_description=\"a, b=c, Basic realm=d\", error=\"invalid_token\"");
		assertThat(challenge.params()).containsEntry("error_description", "a, b=c, Basic realm=d")
			.containsEntry("error", "invalid_token")
			.hasSize(2);
	}

	@Test
	void parseWhenBearerOnlyInsideAnotherChallengesQuotedStringThenEmpty() {
		assertThat(BearerChallenge.parse("Basic realm=\"a, Bearer scope=x\"")).isEmpty();
	}

	@Test
	void parseWhenUnterminatedQuoteThenValueRunsToTheEnd() {
		assertThat(parse("Bearer scope=\"read write").scopes()).containsExactly("read", "write");
	}

	@Test
	void parseWhenWhitespaceAroundEqualsThenStillAParam() {
		BearerChallenge challenge = parse("Bearer error = \"invalid_token\" ,\tscope =\t\"read\"");
		assertThat(challenge.isInvalidToken()).isTrue();
		assertThat(challenge.scopes()).containsExactly("read");
	}

	@Test
	void parseWhenParamNamesInUpperCaseThenLowerCased() {
		BearerChallenge challenge = parse("Bearer Resource_Metadata=\"https://a.example/m\", ERROR=\"invalid_token\"");
		assertThat(challenge.params()).containsOnlyKeys("resource_metadata", "error");
		assertThat(challenge.resourceMetadata()).contains("https://a.example/m");
	}

	@Test
	void parseWhenParamValueInUpperCaseThenKeptAsSent() {
		BearerChallenge challenge = parse("Bearer error=\"INVALID_TOKEN\", scope=\"Files.Read\"");
		assertThat(challenge.error()).contains("INVALID_TOKEN");
		// error codes are case-sensitive (RFC 6750 §3.1)
		assertThat(challenge.isInvalidToken()).isFalse();
		assertThat(challenge.scopes()).containsExactly("Files.Read");
	}

	@Test
	void parseWhenParamRepeatedThenFirstWins() {
		assertThat(parse("Bearer scope=\"first\", scope=\"second\"").scopes()).containsExactly("first");
	}

	@Test
	void parseWhenBearerFollowsAnotherChallengeThenOnlyBearerParamsAreRead() {
		BearerChallenge challenge = parse(
				"Basic realm=\"basic-realm\", charset=\"UTF-8\", Bearer realm=\"bearer-realm\", scope=\"read\"");
		assertThat(challenge.params()).containsExactly(Map.entry("realm", "bearer-realm"), Map.entry("scope", "read"));
	}

	@Test
	void parseWhenBearerPrecedesAnotherChallengeThenItsParamsStopThere() {
		BearerChallenge challenge = parse("Bearer scope=\"read\", DPoP algs=\"ES256\", error=\"x\"");
		assertThat(challenge.params()).containsExactly(Map.entry("scope", "read"));
	}

	@Test
	void parseWhenAnotherSchemeCarriesToken68ThenBearerAfterItIsFound() {
		assertThat(parse("Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAu/+abc==, Bearer scope=\"read\"").scopes())
			.containsExactly("read");
		assertThat(parse("Negotiate abc==, Bearer scope=\"read\"").scopes()).containsExactly("read");
	}

	@Test
	void parseWhenBearerHasGarbageBeforeItsParamsThenParamsAfterTheCommaAreRead() {
		BearerChallenge challenge = parse("Bearer /garbage, error=\"invalid_token\"");
		assertThat(challenge.isInvalidToken()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer /garbage", "Bearer scope=\"read\", =", "Bearer scope=\"read\" \"stray\"",
			"Bearer scope=\"read\", /" })
	void parseWhenNamelessSegmentEndsTheHeaderThenParamsBeforeItAreKept(String header) {
		// a server-controlled header: a segment without a name at the very end used to run the
		// parser past the end of the string (StringIndexOutOfBoundsException)
		BearerChallenge challenge = parse(header);
		assertThat(challenge.params()).doesNotContainKey("");
		if (header.contains("scope")) {
			assertThat(challenge.scopes()).containsExactly("read");
		}
	}

	@Test
	void parseWhenLeadingCommasAndSpacesThenIgnored() {
		assertThat(parse(" , ,Bearer error=\"invalid_token\"").isInvalidToken()).isTrue();
	}

	@Test
	void parseWhenSeveralHeaderValuesThenBearerIsFoundInAnyOfThem() {
		BearerChallenge challenge = BearerChallenge
			.parse(Arrays.asList(null, "Basic realm=\"x\"", "Bearer scope=\"read\"", "Bearer scope=\"other\""))
			.orElseThrow();
		assertThat(challenge.scopes()).containsExactly("read");
	}

	@Test
	void parseWhenNoHeaderValueHasBearerThenEmpty() {
		assertThat(BearerChallenge.parse(List.of("Basic realm=\"x\"", "Negotiate"))).isEmpty();
		assertThat(BearerChallenge.parse(List.of())).isEmpty();
	}

	@Test
	void parseWhenOnlyDpopChallengeThenItsParametersAreRead() {
		// RFC 9449 §7.1: a server that takes only DPoP tokens challenges with that scheme.
		BearerChallenge challenge = BearerChallenge
			.parse(List.of("Basic realm=\"x\"", "DPoP algs=\"ES256\", error=\"use_dpop_nonce\","
					+ " resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource\""))
			.orElseThrow();
		assertThat(challenge.error()).hasValue("use_dpop_nonce");
		assertThat(challenge.resourceMetadata()).hasValue("https://mcp.example/.well-known/oauth-protected-resource");
		assertThat(parse("DPoP resource_metadata=\"https://mcp.example/prm\"").resourceMetadata())
			.hasValue("https://mcp.example/prm");
	}

	@Test
	void parseWhenBearerAndDpopChallengesThenBearerWinsInAnyHeaderOrder() {
		assertThat(BearerChallenge.parse(List.of("DPoP scope=\"dpop\"", "Bearer scope=\"bearer\"")).orElseThrow().scopes())
			.containsExactly("bearer");
		assertThat(parse("DPoP scope=\"dpop\", Bearer scope=\"bearer\"").scopes()).containsExactly("bearer");
	}

	@Test
	void parseWhenHeaderLongerThan8KiBThenIgnored() {
		String prefix = "Bearer scope=\"read\", error_description=\"";
		String atLimit = prefix + "x".repeat(8192 - prefix.length() - 1) + "\"";
		assertThat(atLimit).hasSize(8192);
		assertThat(BearerChallenge.parse(atLimit)).isPresent();
		String overLimit = prefix + "x".repeat(8192 - prefix.length()) + "\"";
		assertThat(BearerChallenge.parse(overLimit)).isEmpty();
	}

	@Test
	void resourceMetadataWhenBlankThenEmpty() {
		assertThat(parse("Bearer resource_metadata=\"  \", error=\"\"").resourceMetadata()).isEmpty();
		assertThat(parse("Bearer resource_metadata=\"  \", error=\"\"").error()).isEmpty();
	}

	@Test
	void paramsWhenConstructedThenCopiedAndUnmodifiable() {
		Map<String, String> source = new HashMap<>(Map.of("scope", "read"));
		BearerChallenge challenge = new BearerChallenge(source);
		source.put("scope", "write");
		assertThat(challenge.scopes()).containsExactly("read");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> challenge.params().put("error", "x"));
	}

	private static BearerChallenge parse(String header) {
		return BearerChallenge.parse(header).orElseThrow(() -> new AssertionError("no Bearer challenge in " + header));
	}

}
