package dev.mcpconnector.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Demo users alice and bob, and the operator admin (password = name), in the demo profile only.
 * admin may use Actuator's metrics and key rotation ({@code ADMIN}) and read everybody's audit
 * trail and usage of its tenant ({@code MCP_ADMIN}, the connector's default tenant administrator
 * authority; {@code scope=all} needs {@code MCP_GLOBAL_ADMIN}, which nobody here has).
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoUsers {

	private static final Logger logger = LoggerFactory.getLogger(DemoUsers.class);

	@Bean
	UserDetailsService demoUserDetailsService() {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		logger.warn("DEMO PROFILE: users 'alice' / 'alice', 'bob' / 'bob' and 'admin' / 'admin'. "
				+ "Never use this profile in production.");
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password(encoder.encode("alice")).roles("USER").build(),
				User.withUsername("bob").password(encoder.encode("bob")).roles("USER").build(),
				User.withUsername("admin")
					.password(encoder.encode("admin"))
					.roles("USER", SecurityConfiguration.ADMIN, "MCP_ADMIN")
					.build());
	}

}
