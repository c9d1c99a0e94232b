package dev.mcpconnector.sample;

import java.time.Duration;

import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * DEMO PROFILE ONLY: an OAuth-protected MCP server to connect to, started in this JVM on
 * {@code http://127.0.0.1:<sample.demo-server.port>} (default 9000, 0 picks a free port). It is a
 * Spring Authorization Server (users alice/alice and bob/bob, open dynamic client registration,
 * consent granted automatically) and the MCP server it protects (tools echo, add, slow,
 * delete-note), in a Spring context of its own that closes with this application.
 *
 * <p>The app is meant to be opened as {@code http://localhost:8080} and the demo server is always
 * {@code 127.0.0.1}: two different hosts for the browser, so their cookies never mix (the demo
 * server's session cookie is also named {@code MCPDEMOSESSION}, not {@code JSESSIONID}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoServerConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DemoServerConfiguration.class);

	@Bean(destroyMethod = "close")
	DemoServer demoMcpServer(@Value("${sample.demo-server.port:9000}") int port,
			@Value("${sample.demo-server.access-token-ttl:60s}") Duration accessTokenTtl,
			@Value("${sample.demo-server.refresh-token-ttl:1d}") Duration refreshTokenTtl) {
		// Short-lived access tokens, so that the connector's refresh (with rotation: the demo
		// server never reuses refresh tokens) happens while you watch. Refresh tokens are issued
		// because the connector asks for the offline_access scope the server advertises.
		DemoServerSettings settings = DemoServerSettings.builder()
			.port(port)
			.accessTokenTimeToLive(accessTokenTtl)
			.refreshTokenTimeToLive(refreshTokenTtl)
			.build();
		try {
			return DemoServer.start(settings);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not start the demo MCP server on 127.0.0.1:" + port
					+ " (is the port in use? set sample.demo-server.port, 0 picks a free one)", ex);
		}
	}

	/** Says where to go once everything is up. */
	@Bean
	ApplicationListener<ApplicationReadyEvent> demoInstructions(ObjectProvider<DemoServer> demoServer) {
		return (event) -> {
			if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)
					|| web.getWebServer() == null) {
				return;
			}
			DemoServer server = demoServer.getIfAvailable();
			String line = "-".repeat(78);
			logger.info("\n{}\n  mcp-connector sample (DEMO PROFILE, never use it in production)\n\n"
					+ "  Open            {}\n"
					+ "  Log in as       alice / alice   or   bob / bob\n"
					+ "  Demo MCP server {}   (pre-filled on the page; its login is alice / alice)\n{}",
					line, SampleUrls.pageUrl(web.getWebServer().getPort()),
					(server != null) ? server.mcpUrl() : "(not running)", line);
		};
	}

}
