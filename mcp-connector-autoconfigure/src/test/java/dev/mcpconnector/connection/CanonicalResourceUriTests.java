package dev.mcpconnector.connection;

import java.net.URI;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CanonicalResourceUri}: the RFC 8707 {@code resource} form of a server URL, and the
 * checks on a URL a user typed.
 */
@Tag("fast")
class CanonicalResourceUriTests {

	@ParameterizedTest(name = "[{index}] {0} -> {1}")
	@CsvSource({
			// scheme and host lower-cased, path kept as sent
			"HTTPS://MCP.Example.COM/MCP, https://mcp.example.com/MCP",
			// default ports dropped, others kept
			"https://mcp.example.com:443/mcp, https://mcp.example.com/mcp",
			"http://mcp.example.com:80/mcp, http://mcp.example.com/mcp",
			"https://mcp.example.com:8443/mcp, https://mcp.example.com:8443/mcp",
			"https://mcp.example.com:80/mcp, https://mcp.example.com:80/mcp",
			"http://mcp.example.com:443/mcp, http://mcp.example.com:443/mcp",
			// no trailing slash, however many
			"https://mcp.example.com/, https://mcp.example.com",
			"https://mcp.example.com, https://mcp.example.com",
			"https://mcp.example.com/mcp/, https://mcp.example.com/mcp",
			"https://mcp.example.com/mcp///, https://mcp.example.com/mcp",
			"https://mcp.example.com/a//b, https://mcp.example.com/a//b",
			// no fragment, no user info
			"https://mcp.example.com/mcp#section, https://mcp.example.com/mcp",
			"https://alice@mcp.example.com/mcp, https://mcp.example.com/mcp",
			// the query stays, after the trimmed path
			"https://mcp.example.com/mcp?tenant=a&x=1, https://mcp.example.com/mcp?tenant=a&x=1",
			"https://mcp.example.com/mcp/?tenant=a, https://mcp.example.com/mcp?tenant=a",
			// percent-encoding kept raw
			"https://mcp.example.com/a%2Fb/%7Euser, https://mcp.example.com/a%2Fb/%7Euser",
			// IPv6 literals
			"https://[2001:DB8::1]:443/mcp, https://[2001:db8::1]/mcp",
			"http://[::1]:8080/mcp/, http://[::1]:8080/mcp" })
	void ofWhenServerUrlThenCanonicalForm(String serverUrl, String canonical) {
		assertThat(CanonicalResourceUri.of(URI.create(serverUrl))).isEqualTo(URI.create(canonical));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp.example.com/mcp", "HTTPS://MCP.EXAMPLE.COM:443/mcp/",
			"https://Mcp.Example.Com/mcp#top", "https://mcp.example.com:443/mcp//" })
	void ofWhenSpellingsOfOneServerThenOneResource(String serverUrl) {
		assertThat(CanonicalResourceUri.of(URI.create(serverUrl))).isEqualTo(URI.create("https://mcp.example.com/mcp"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "HTTPS://MCP.Example.COM:443/MCP/", "http://a.example:80/?q=1#f", "https://[::1]:8443/x/" })
	void ofWhenAppliedTwiceThenSameAsOnce(String serverUrl) {
		URI once = CanonicalResourceUri.of(URI.create(serverUrl));
		assertThat(CanonicalResourceUri.of(once)).isEqualTo(once);
	}

	@Test
	void ofWhenPathsDifferInCaseThenDifferentResources() {
		assertThat(CanonicalResourceUri.of(URI.create("https://a.example/MCP")))
			.isNotEqualTo(CanonicalResourceUri.of(URI.create("https://a.example/mcp")));
	}

	@Test
	void parseServerUrlWhenValidThenParsedAfterTrimming() {
		URI uri = CanonicalResourceUri.parseServerUrl("  https://mcp.example.com/mcp?x=1 \t");
		assertThat(uri).isEqualTo(URI.create("https://mcp.example.com/mcp?x=1"));
		assertThat(CanonicalResourceUri.parseServerUrl("HTTP://127.0.0.1:8080/mcp").getHost()).isEqualTo("127.0.0.1");
		assertThat(CanonicalResourceUri.parseServerUrl("https://[::1]/mcp").getHost()).isEqualTo("[::1]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "\t" })
	void parseServerUrlWhenBlankThenRequired(String serverUrl) {
		assertRefused(serverUrl, "required");
	}

	@Test
	void parseServerUrlWhenNullThenRequired() {
		assertRefused(null, "required");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp.example.com/m cp", "https://mcp.example.com/m\tcp",
			"https://mcp.example.com/m\ncp", "https://mcp.example.com/m\u0000cp", "https://mcp.example.com/m\u007fcp",
			"https://mcp.example.com/\r\nX-Injected: 1" })
	void parseServerUrlWhenWhitespaceOrControlCharacterInsideThenRefused(String serverUrl) {
		assertRefused(serverUrl, "whitespace or control characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://mcp.example.com/mcp", "file:///etc/passwd", "javascript:alert(1)",
			"mailto:alice@example.com", "ws://mcp.example.com/mcp", "mcp.example.com/mcp", "//mcp.example.com/mcp",
			"/mcp" })
	void parseServerUrlWhenNotAbsoluteHttpThenRefused(String serverUrl) {
		assertRefused(serverUrl, "absolute http or https URL");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https:///mcp", "https://:443/mcp", "https://bad_host.example/mcp", "https://mcp.example.com:x/",
			"http:/mcp" })
	void parseServerUrlWhenNoHostThenRefused(String serverUrl) {
		assertRefused(serverUrl, "host");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://alice@mcp.example.com/mcp", "https://alice:secret@mcp.example.com/mcp" })
	void parseServerUrlWhenUserInfoThenRefusedWithoutEchoingIt(String serverUrl) {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> CanonicalResourceUri.parseServerUrl(serverUrl))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST))
			.withMessageContaining("user info")
			.withMessageNotContaining("secret")
			.withMessageNotContaining("alice");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp.example.com/<script>", "https://mcp.example.com/a|b" })
	void parseServerUrlWhenNotAUriThenRefused(String serverUrl) {
		assertRefused(serverUrl, "not a valid URI");
	}

	@Test
	void parseServerUrlWhenLongerThanTheMaximumThenRefused() {
		String prefix = "https://mcp.example.com/";
		String atLimit = prefix + "a".repeat(CanonicalResourceUri.MAX_LENGTH - prefix.length());
		assertThat(CanonicalResourceUri.parseServerUrl(atLimit).toString()).hasSize(CanonicalResourceUri.MAX_LENGTH);
		assertRefused(atLimit + "a", "longer than 2048");
		// surrounding whitespace does not count
		assertThat(CanonicalResourceUri.parseServerUrl(" " + atLimit + " ")).isNotNull();
	}

	@Test
	void parseServerUrlWhenFragmentThenTheResourceHasNone() {
		URI parsed = CanonicalResourceUri.parseServerUrl("https://mcp.example.com/mcp#fragment");
		URI resource = CanonicalResourceUri.of(parsed);
		assertThat(resource.getRawFragment()).isNull();
		assertThat(resource).isEqualTo(URI.create("https://mcp.example.com/mcp"));
	}

	@Test
	void parseServerUrlWhenRefusedThenInvalidConnectionRequestAnsweredAs400() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> CanonicalResourceUri.parseServerUrl("ftp://x"))
			.satisfies((ex) -> {
				assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST);
				assertThat(ex.getStatusCode().value()).isEqualTo(400);
			});
	}

	private static void assertRefused(String serverUrl, String reason) {
		assertThatExceptionOfType(McpConnectorException.class).as(String.valueOf(serverUrl))
			.isThrownBy(() -> CanonicalResourceUri.parseServerUrl(serverUrl))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST))
			.withMessageContaining(reason);
	}

}
