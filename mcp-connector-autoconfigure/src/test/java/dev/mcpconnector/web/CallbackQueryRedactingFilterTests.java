package dev.mcpconnector.web;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallbackQueryRedactingFilter}: what comes after the filter sees a query string without
 * the authorization code or state, while the parameters themselves stay readable.
 */
@Tag("fast")
class CallbackQueryRedactingFilterTests {

	private final CallbackQueryRedactingFilter filter = new CallbackQueryRedactingFilter();

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = ' ', value = {
			"code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fas.example code=[REDACTED]&state=[REDACTED]&iss=https%3A%2F%2Fas.example",
			"state=af0ifjsldkj&error=access_denied state=[REDACTED]&error=access_denied",
			"CODE=abc&State=xyz CODE=[REDACTED]&State=[REDACTED]", "code=&state= code=[REDACTED]&state=[REDACTED]",
			"code=a=b=c code=[REDACTED]", "code&state code&state", "a=1&&code=x&&b=2 a=1&&code=[REDACTED]&&b=2",
			"codes=1&xstate=2&code_verifier=3 codes=1&xstate=2&code_verifier=3",
			"code=one&code=two code=[REDACTED]&code=[REDACTED]" })
	void doFilterWhenQueryHasCodeOrStateThenLaterFiltersSeeThemRedacted(String query, String seen) throws Exception {
		HttpServletRequest downstream = filter(query);
		assertThat(downstream.getQueryString()).isEqualTo(seen);
	}

	@Test
	void doFilterWhenRedactedThenParametersAreStillReadable() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/mcp-connector/oauth/callback");
		request.setQueryString("code=abc&state=xyz");
		request.addParameter("code", "abc");
		request.addParameter("state", "xyz");
		HttpServletRequest downstream = run(request);
		assertThat(downstream.getQueryString()).doesNotContain("abc", "xyz");
		assertThat(downstream.getParameter("code")).isEqualTo("abc");
		assertThat(downstream.getParameter("state")).isEqualTo("xyz");
	}

	@Test
	void doFilterWhenNoQueryThenTheRequestPassesUnwrapped() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/mcp-connector/oauth/callback");
		assertThat(run(request)).isSameAs(request);
		request.setQueryString("");
		assertThat(run(request)).isSameAs(request);
	}

	private HttpServletRequest filter(String query) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/mcp-connector/oauth/callback");
		request.setQueryString(query);
		return run(request);
	}

	private HttpServletRequest run(MockHttpServletRequest request) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		ServletRequest downstream = chain.getRequest();
		assertThat(downstream).isNotNull();
		return (HttpServletRequest) downstream;
	}

}
