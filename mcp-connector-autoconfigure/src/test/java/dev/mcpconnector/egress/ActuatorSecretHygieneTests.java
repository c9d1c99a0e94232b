package dev.mcpconnector.egress;

import java.util.UUID;

import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Secret hygiene on Actuator: with {@code /actuator/env} and {@code /actuator/configprops}
 * exposed and told to show values, the encryption key and a pre-registered client secret are
 * still masked.
 */
@SpringBootTest(classes = TestApplication.class,
		properties = { "management.endpoints.web.exposure.include=env,configprops,mcpconnectorkeys",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always" })
@AutoConfigureMockMvc
class ActuatorSecretHygieneTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final String KEY = TestKeys.newBase64Key();

	private static final String CLIENT_SECRET = "sentinel-client-secret-" + UUID.randomUUID();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", () -> KEY);
		registry.add("mcp.connector.registration.clients.corp.issuer", () -> "https://login.example.com");
		registry.add("mcp.connector.registration.clients.corp.client-id", () -> "app");
		registry.add("mcp.connector.registration.clients.corp.client-secret", () -> CLIENT_SECRET);
	}

	@Autowired
	MockMvc mvc;

	@Test
	void envAndConfigpropsMaskTheConnectorsSecrets() throws Exception {
		int tried = 0;
		int leaked = 0;
		for (String endpoint : new String[] { "/actuator/env", "/actuator/configprops",
				"/actuator/env/mcp.connector.encryption.keys.k1",
				"/actuator/env/mcp.connector.registration.clients.corp.client-secret", "/actuator/mcpconnectorkeys" }) {
			String body = this.mvc.perform(get(endpoint).with(user("admin"))).andReturn().getResponse().getContentAsString();
			assertThat(body).as(endpoint).isNotEmpty();
			for (String secret : new String[] { KEY, CLIENT_SECRET }) {
				tried++;
				if (body.contains(secret)) {
					leaked++;
				}
			}
		}
		String env = this.mvc.perform(get("/actuator/env").with(user("admin"))).andReturn().getResponse().getContentAsString();
		assertThat(env).contains("mcp.connector.encryption.keys.k1").contains("******");
		this.mvc.perform(get("/actuator/mcpconnectorkeys").with(user("admin")))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.activeKeyId")
				.value("k1"));
		System.out.printf("[Secret hygiene] actuator endpoints searched for %d secrets (env, configprops, mcpconnectorkeys), leaked %d%n", tried, leaked);
		assertThat(leaked).isZero();
	}

}
