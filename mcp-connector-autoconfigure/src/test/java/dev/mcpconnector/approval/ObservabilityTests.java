package dev.mcpconnector.approval;

import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.ratelimit.RateLimitExceededException;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Through the wired application: a per-tool rate limit refuses call N+1 with 429 and
 * {@code Retry-After}; {@code /actuator/metrics} lists the tool-call timer;
 * {@code /actuator/health} shows the connector's contributor.
 */
@SpringBootTest(classes = TestApplication.class,
		properties = { "management.endpoints.web.exposure.include=health,metrics",
				"management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always",
				"mcp.connector.governance.rate-limits.per-tool.capacity=3",
				"mcp.connector.governance.rate-limits.per-tool.period=1h" })
@AutoConfigureMockMvc
class ObservabilityTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpToolExecutor executor;

	@Test
	void rateLimitMetricsAndHealth() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		McpOwner owner = McpOwner.of(alice);
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			UUID id = peer.connectAndConsent(this.authorization, owner);
			for (int i = 0; i < 3; i++) {
				this.executor.callTool(owner, id, "echo", Map.of("message", "call " + i));
			}
			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> this.executor.callTool(owner, id, "echo", Map.of("message", "one too many")));
			this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"again\"}"))
				.andExpect(status().isTooManyRequests())
				.andExpect(header().exists("Retry-After"))
				.andExpect(jsonPath("$.code").value("rate-limited"));
		}
		this.mvc.perform(get("/actuator/metrics/mcp.connector.tool.calls").with(user("admin")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("mcp.connector.tool.calls"));
		this.mvc.perform(get("/actuator/metrics/mcp.connector.authorizations").with(user("admin")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.availableTags[0].values").value(org.hamcrest.Matchers.hasItem("authorized")));
		this.mvc.perform(get("/actuator/metrics/mcp.connector.rate.limited").with(user("admin")))
			.andExpect(status().isOk());
		this.mvc.perform(get("/actuator/health").with(user("admin")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.mcpConnector.status").value("UP"))
			.andExpect(jsonPath("$.components.mcpConnector.details.ACTIVE").exists());
	}


}
