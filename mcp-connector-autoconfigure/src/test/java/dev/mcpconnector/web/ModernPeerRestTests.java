package dev.mcpconnector.web;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestModernPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Through the REST API against a 2026-07-28 server nobody here wrote ({@link TestModernPeer}, the
 * TypeScript SDK v2 server, tokens from the demo's Spring Authorization Server), on a real
 * PostgreSQL: connect, consent at the demo, callback, ACTIVE, tools listed and called,
 * {@code protocolVersion} shown, a forced refresh, a step-up answered with
 * {@code step-up-required} and a URL that asks for the missing scope, and a delete that revokes
 * the grant at the demo.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class ModernPeerRestTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final JsonMapper JSON = JsonMapper.shared();

	private static DemoServer demo;

	private static TestModernPeer peer;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void start() {
		demo = DemoServer.start(DemoServerSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(5)).build());
		peer = TestModernPeer.start(demo);
	}

	@AfterAll
	static void stop() {
		if (peer != null) {
			peer.close();
		}
		if (demo != null) {
			demo.close();
		}
	}

	@Autowired
	MockMvc mvc;

	@Test
	void connectConsentListCallAndRefreshThroughRest() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String id = connectAndConsent(alice, "alice");

		this.mvc.perform(get("/api/mcp/connections/" + id + "/tools").with(user(alice)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(hasItems(TestModernPeer.TOOLS.toArray())));
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"over rest\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value("echo: over rest"));
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(alice)))
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.protocolVersion").value("2026-07-28"))
			.andExpect(jsonPath("$.issuer").value(demo.issuer()));

		long refreshes = demo.counters().refreshTokenGrants();
		this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(alice)).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"));
		assertThat(demo.counters().refreshTokenGrants() - refreshes).isEqualTo(1);
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/whoami").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value("alice"));
	}

	@Test
	void aToolThatNeedsMoreScopeIsStepUpRequiredThenWorksAfterConsent() throws Exception {
		String bob = "bob-" + UUID.randomUUID();
		String id = connectAndConsent(bob, "bob");

		JsonNode problem = JSON.readTree(call(bob, id, "read_report").andExpect(status().isConflict())
			.andExpect(jsonPath("$.code").value("step-up-required"))
			.andReturn()
			.getResponse()
			.getContentAsString());
		URI url = problem.hasNonNull("authorizationUrl") ? URI.create(problem.get("authorizationUrl").asString())
				: URI.create(JSON
					.readTree(this.mvc.perform(post("/api/mcp/connections/" + id + "/authorize").with(user(bob)).with(csrf()))
						.andExpect(status().isOk())
						.andReturn()
						.getResponse()
						.getContentAsString())
					.get("authorizationUrl")
					.asString());
		assertThat(DemoBrowser.queryParameter(url, "scope")).contains("mcp:read");
		callback(bob, "bob", url);

		call(bob, id, "read_report").andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value(startsWith("report for bob")));
	}

	@Test
	void deleteRevokesTheGrantAtTheDemoAndTheConnectionIsGone() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String id = connectAndConsent(alice, "alice");
		call(alice, id, "whoami").andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value("alice"));
		long revocations = demo.counters().revocationRequests();
		this.mvc.perform(delete("/api/mcp/connections/" + id).with(user(alice)).with(csrf()))
			.andExpect(status().is2xxSuccessful());
		assertThat(demo.counters().revocationRequests() - revocations).isPositive();
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(alice)))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("connection-not-found"));
	}

	private ResultActions call(String user, String id, String tool) throws Exception {
		return this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/" + tool).with(user(user))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{}"));
	}

	private String connectAndConsent(String user, String login) throws Exception {
		JsonNode connect = JSON.readTree(this.mvc
			.perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + peer.mcpUrl() + "\",\"name\":\"TS v2 peer\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("AUTHORIZATION_REQUIRED"))
			.andReturn()
			.getResponse()
			.getContentAsString());
		URI authorizationUrl = URI.create(connect.get("authorizationUrl").asString());
		assertThat(authorizationUrl.toString()).startsWith(demo.issuer() + "/oauth2/authorize");
		assertThat(DemoBrowser.queryParameter(authorizationUrl, "resource")).isEqualTo(peer.mcpUrl());
		callback(user, login, authorizationUrl);
		return connect.get("id").asString();
	}

	private void callback(String user, String login, URI authorizationUrl) throws Exception {
		URI redirect = new DemoBrowser(login, login).authorize(authorizationUrl);
		assertThat(redirect.getPath()).isEqualTo("/api/mcp/oauth/callback");
		this.mvc
			.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(user))
				.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("authorized"))
			.andExpect(jsonPath("$.connection.status").value("ACTIVE"));
	}

}
