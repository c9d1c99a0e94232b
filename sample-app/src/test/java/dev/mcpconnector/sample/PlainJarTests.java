package dev.mcpconnector.sample;

import java.security.SecureRandom;
import java.util.Base64;

import dev.mcpconnector.demo.DemoServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample started as {@code java -jar} starts it: no profile on the command line. The demo
 * (public users, the public encryption key, plain-http loopback, the in-process demo server) is
 * off; only the README's run command ({@code spring-boot:run}, whose plugin configuration names
 * the {@code demo} profile) turns it on.
 */
class PlainJarTests {

	@Test
	void plainStartWithoutKeyRefusesToStartInsteadOfUsingTheDemoKey() {
		assertThatThrownBy(() -> start("--server.port=0").close()).hasStackTraceContaining("encryption");
	}

	@Test
	void plainStartWithKeyRunsNoDemoUsersNoDemoServerAndNoLoopbackHttp() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		try (ConfigurableApplicationContext context = start("--server.port=0",
				"--mcp.connector.encryption.keys.k1=" + Base64.getEncoder().encodeToString(key))) {
			assertThat(context.getEnvironment().getActiveProfiles()).isEmpty();
			assertThat(context.getBeanNamesForType(DemoServer.class)).isEmpty();
			assertThat(context.getEnvironment().getProperty("mcp.connector.egress.allow-insecure-loopback",
					Boolean.class, false))
				.isFalse();
			String port = context.getEnvironment().getProperty("local.server.port");
			int status = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + port)
				.defaultHeaders((headers) -> headers.setBasicAuth("alice", "alice"))
				.build()
				.get()
				.uri("/api/mcp/connections")
				.exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).isEqualTo(401);
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.SERVLET).run(args);
	}

}
