package dev.mcpconnector.web;

import java.net.URI;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WebPaths}: the callback's redirect URI, and return paths that cannot become open redirects. */
@Tag("fast")
class WebPathsTests {

	private final WebPaths paths = new WebPaths("/mcp-connector", null, "/settings/connections");

	@ParameterizedTest
	@ValueSource(strings = { "/", "/settings", "/settings/connections?tab=mcp", "/a/b#section", "/@evil.example",
			"/%2F%2Fevil.example", "/path/./x/../y", "/caf%C3%A9", "/café" })
	void returnToWhenPathOnThisOriginThenKept(String path) {
		assertThat(this.paths.returnTo(path)).isEqualTo(path);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "https://evil.example/", "http://evil.example", "//evil.example/path", "///evil.example",
			"/\\evil.example", "\\\\evil.example", "\\/evil.example", "/a\\b", "javascript:alert(1)",
			"evil.example/path", "settings", "/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",
			"/\u0000", "/\u007f", "/ /evil.example", "/\u3000/evil.example", "/\u2028/evil.example", "/<script>" })
	void returnToWhenNotAPathOnThisOriginThenTheDefault(String path) {
		assertThat(this.paths.returnTo(path)).isEqualTo("/settings/connections");
	}

	@Test
	void returnToWhenLongerThan2048ThenTheDefault() {
		String atLimit = "/" + "a".repeat(2047);
		assertThat(this.paths.returnTo(atLimit)).isEqualTo(atLimit);
		assertThat(this.paths.returnTo(atLimit + "a")).isEqualTo("/settings/connections");
	}

	@Test
	void returnToWhenConfiguredDefaultIsUnsafeThenTheRoot() {
		WebPaths unsafeDefault = new WebPaths("/mcp-connector", null, "https://evil.example/");
		assertThat(unsafeDefault.returnTo("//evil.example")).isEqualTo("/");
		assertThat(new WebPaths("/mcp-connector", null, null).returnTo(null)).isEqualTo("/");
	}

	@Test
	void redirectUriWhenConfiguredThenThatOne() {
		URI configured = URI.create("https://app.example.com/mcp-connector/oauth/callback");
		WebPaths withRedirect = new WebPaths("/mcp-connector", configured, "/");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/anything");
		request.setServerName("other.example");
		assertThat(withRedirect.redirectUri(request)).isEqualTo(configured);
	}

	@Test
	void redirectUriWhenNotConfiguredThenTheCallbackOnLocalhostAtTheLocalPortWithoutQuery() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/app/mcp-connector/connections");
		request.setScheme("https");
		request.setServerName("app.example.com");
		request.setServerPort(8443);
		request.setLocalPort(8080);
		request.setContextPath("/app");
		request.setQueryString("x=1");
		assertThat(this.paths.redirectUri(request))
			.isEqualTo(URI.create("http://localhost:8080/app/mcp-connector/oauth/callback"));
	}

	/** A forged {@code Host} or {@code X-Forwarded-Host} never reaches the callback URL. */
	@Test
	void redirectUriWhenHostHeadersAreForgedThenUnchanged() {
		MockHttpServletRequest honest = new MockHttpServletRequest("POST", "/mcp-connector/connections");
		honest.setLocalPort(8080);
		MockHttpServletRequest forged = new MockHttpServletRequest("POST", "/mcp-connector/connections");
		forged.setLocalPort(8080);
		forged.addHeader("Host", "evil.example:8443");
		forged.addHeader("X-Forwarded-Host", "evil.example");
		forged.addHeader("X-Forwarded-Proto", "https");
		forged.addHeader("Forwarded", "host=evil.example;proto=https");
		assertThat(this.paths.redirectUri(forged)).isEqualTo(this.paths.redirectUri(honest))
			.isEqualTo(URI.create("http://localhost:8080/mcp-connector/oauth/callback"));
	}

}
