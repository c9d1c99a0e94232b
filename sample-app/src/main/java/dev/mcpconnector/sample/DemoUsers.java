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

/** Demo users alice and bob (password = name), in the demo profile only. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoUsers {

	private static final Logger logger = LoggerFactory.getLogger(DemoUsers.class);

	@Bean
	UserDetailsService demoUserDetailsService() {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		logger.warn("DEMO PROFILE: users 'alice' / 'alice' and 'bob' / 'bob'. Never use this profile in production.");
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password(encoder.encode("alice")).roles("USER").build(),
				User.withUsername("bob").password(encoder.encode("bob")).roles("USER").build());
	}

}
