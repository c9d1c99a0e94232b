package dev.mcpconnector.sample;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

import tools.jackson.databind.json.JsonMapper;

/**
 * The app's own security: form login for the page, HTTP Basic for scripts; Actuator's health
 * for everyone (details for admins), its other endpoints for the {@code ADMIN} role.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** The role of operators: metrics and key rotation. */
	static final String ADMIN = "ADMIN";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, JsonMapper json) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			// An error page re-dispatched for a refused request keeps the original status.
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.requestMatchers(EndpointRequest.to("health"))
			.permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.hasRole(ADMIN)
			.anyRequest()
			.authenticated())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults())
			// CSRF stays on for every POST and DELETE (connect, authorize, call a tool, revoke,
			// logout, key rotation); only how the page presents the token changes. Spring Security
			// 7's default keeps the token in the session and expects it XOR-masked (BREACH
			// protection), which suits server-rendered forms. spa() is its documented set-up for
			// JavaScript pages: CookieCsrfTokenRepository.withHttpOnlyFalse() puts the raw token in
			// the XSRF-TOKEN cookie, which only pages of this origin can read, and the page echoes
			// it in the X-XSRF-TOKEN header; the masked token is still accepted from form
			// parameters (the login page). The cookie is written when a token is first read: see
			// SampleConfigController, which the page calls before anything else.
			// The gateway's MCP endpoints are called by MCP clients and AI platforms with a header
			// (HTTP Basic, a gateway token), never with the page's cookie: no CSRF token there. The
			// token API under /api/mcp/gateway/tokens is the page's and keeps it.
			.csrf((csrf) -> csrf.spa().ignoringRequestMatchers("/api/mcp/gateway/mcp", "/api/mcp/gateway/*/mcp"))
			// A refused CSRF token is a 403 Problem that says so, not a re-dispatch to /error.
			.exceptionHandling((exceptions) -> exceptions
				.accessDeniedHandler(new CsrfProblemHandler(json, new AccessDeniedHandlerImpl())));
		return http.build();
	}

}
