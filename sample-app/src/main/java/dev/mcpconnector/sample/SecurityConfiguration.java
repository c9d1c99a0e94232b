package dev.mcpconnector.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The app's own security: form login for the page, HTTP Basic for scripts. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults())
			// CSRF stays on for every POST and DELETE (connect, authorize, call a tool, revoke,
			// logout); only how the page presents the token changes. Spring Security 7's default
			// keeps the token in the session and expects it XOR-masked (BREACH protection), which
			// suits server-rendered forms. spa() is its documented set-up for JavaScript pages:
			// CookieCsrfTokenRepository.withHttpOnlyFalse() puts the raw token in the XSRF-TOKEN
			// cookie, which only pages of this origin can read, and the page echoes it in the
			// X-XSRF-TOKEN header; the masked token is still accepted from form parameters (the
			// login page). The cookie is written when a token is first read: see
			// SampleConfigController, which the page calls before anything else.
			.csrf((csrf) -> csrf.spa());
		return http.build();
	}

}
