package dev.mcpconnector.sample;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.util.Assert;

import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request refused for its CSRF token with a 403 Problem that says so. Spring
 * Security's default handler only sets 403 and lets the container re-dispatch to
 * {@code /error}; that dispatch carries no credentials of a script using HTTP Basic, so the
 * script saw a bare {@code 401 WWW-Authenticate: Basic}, as if its password were wrong. Written
 * here, the answer never leaves the filter chain.
 */
final class CsrfProblemHandler implements AccessDeniedHandler {

	static final String TYPE = "urn:mcp-connector-sample:problem:csrf-token-invalid";

	static final String DETAIL = "The CSRF token is missing or does not match. Send the value of the XSRF-TOKEN "
			+ "cookie in the X-XSRF-TOKEN header with every POST, PUT, PATCH and DELETE (GET /sample/config "
			+ "sets the cookie).";

	private final JsonMapper json;

	private final AccessDeniedHandler otherwise;

	CsrfProblemHandler(JsonMapper json, AccessDeniedHandler otherwise) {
		Assert.notNull(json, "json cannot be null");
		Assert.notNull(otherwise, "otherwise cannot be null");
		this.json = json;
		this.otherwise = otherwise;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException, ServletException {
		if (!(denied instanceof CsrfException)) {
			this.otherwise.handle(request, response, denied);
			return;
		}
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", TYPE);
		problem.put("title", "Invalid CSRF token");
		problem.put("status", HttpStatus.FORBIDDEN.value());
		problem.put("detail", DETAIL);
		problem.put("instance", request.getRequestURI());
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
