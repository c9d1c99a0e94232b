package dev.mcpconnector.web;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the authorization code and state of an OAuth callback out of the application's logs.
 * Frameworks log request lines with their query string at DEBUG (Spring Security's filter
 * chain, the dispatcher servlet); this filter, placed before them on the callback path only,
 * shows them a query string with {@code code} and {@code state} redacted. Parameters read
 * through {@code getParameter} are unchanged.
 */
class CallbackQueryRedactingFilter extends OncePerRequestFilter {

	private static final String REDACTED = "[REDACTED]";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query == null || query.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		String redacted = redact(query);
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getQueryString() {
				return redacted;
			}
		}, response);
	}

	static String redact(String query) {
		StringBuilder out = new StringBuilder(query.length());
		for (String pair : query.split("&", -1)) {
			if (!out.isEmpty()) {
				out.append('&');
			}
			int eq = pair.indexOf('=');
			String name = ((eq >= 0) ? pair.substring(0, eq) : pair).toLowerCase(Locale.ROOT);
			if (eq >= 0 && (name.equals("code") || name.equals("state"))) {
				out.append(pair, 0, eq + 1).append(REDACTED);
			}
			else {
				out.append(pair);
			}
		}
		return out.toString();
	}

}
