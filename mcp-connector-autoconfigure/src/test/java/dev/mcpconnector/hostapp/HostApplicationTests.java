package dev.mcpconnector.hostapp;

import java.util.List;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The starter inside a host application that has its own JPA entity, repository and Flyway
 * migration (at Flyway's default {@code classpath:db/migration}, with the strict
 * {@code spring.flyway.validate-migration-naming=true} that Flyway's own log message suggests):
 * the host starts, both schemas migrate, both sets of repositories work, and the REST API serves
 * only the caller's own connections.
 */
@SpringBootTest(classes = HostApplication.class)
@AutoConfigureMockMvc
class HostApplicationTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", TestKeys::newBase64Key);
		registry.add("spring.flyway.validate-migration-naming", () -> "true");
	}

	@Autowired
	NoteRepository notes;

	@Autowired
	McpConnectionService connections;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MockMvc mvc;

	@Autowired
	Flyway hostFlyway;

	@Test
	void bothSchemasMigrateIntoTheirOwnHistoryTables() {
		List<String> hostMigrations = this.jdbc.queryForList(
				"select script from flyway_schema_history where success and version is not null order by installed_rank",
				String.class);
		assertThat(hostMigrations).containsExactly("V1__notes.sql");
		List<String> ourMigrations = this.jdbc.queryForList(
				"select script from mcp_connector_schema_history where success and type = 'SQL' order by installed_rank",
				String.class);
		assertThat(ourMigrations)
			.startsWith("V1__foundation.sql", "V2__requested_scopes.sql", "V3__request_timeout.sql",
					"V4__approvals.sql")
			.allMatch((name) -> name.matches("V\\d+__[a-z_]+\\.sql"));
	}

	@Test
	void hostFlywayIsStrictAndSeesOnlyItsOwnMigrations() {
		assertThat(this.hostFlyway.getConfiguration().isValidateMigrationNaming()).isTrue();
		assertThat(this.hostFlyway.info().all()).extracting((info) -> info.getScript())
			.containsExactly("V1__notes.sql");
	}

	@Test
	void bothSetsOfRepositoriesWork() {
		this.notes.save(new Note("hello from the host"));
		assertThat(this.notes.findByText("hello from the host")).hasSize(1);
		McpOwner owner = McpOwner.of("host-user");
		McpConnection connection = this.connections.create(owner, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.ACTIVE);
		assertThat(this.connections.list(owner)).containsExactly(connection);
	}

	@Test
	void restWhenOwnerThenListsAndGetsOwnConnections() throws Exception {
		McpConnection connection = this.connections.create(McpOwner.of("alice"),
				new NewConnection("https://mcp.example.com/alice", "Alice's server", null), ConnectionStatus.ACTIVE);
		this.mvc.perform(get("/api/mcp/connections").with(user("alice")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.id == '" + connection.id() + "')].name").value("Alice's server"));
		this.mvc.perform(get("/api/mcp/connections/" + connection.id()).with(user("alice")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.serverUrl").value("https://mcp.example.com/alice"));
	}

	@Test
	void restWhenOtherUsersIdThenSameProblemAsNonexistentAndRowUntouched() throws Exception {
		McpConnection connection = this.connections.create(McpOwner.of("alice"),
				NewConnection.of("https://mcp.example.com/private"), ConnectionStatus.ACTIVE);

		String foreign = this.mvc.perform(get("/api/mcp/connections/" + connection.id()).with(user("bob")))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:connection-not-found"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String missing = this.mvc.perform(get("/api/mcp/connections/" + UUID.randomUUID()).with(user("bob")))
			.andExpect(status().isNotFound())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(withoutInstance(foreign)).isEqualTo(withoutInstance(missing));

		MvcResult deleteForeign = this.mvc
			.perform(delete("/api/mcp/connections/" + connection.id()).with(user("bob")).with(csrf()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("connection-not-found"))
			.andReturn();
		assertThat(withoutInstance(deleteForeign.getResponse().getContentAsString())).isEqualTo(withoutInstance(missing));
		this.mvc.perform(get("/api/mcp/connections").with(user("bob")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.id == '" + connection.id() + "')]").isEmpty());

		assertThat(this.connections.get(McpOwner.of("alice"), connection.id())).isEqualTo(connection);
		this.mvc.perform(delete("/api/mcp/connections/" + connection.id()).with(user("alice")).with(csrf()))
			.andExpect(status().isNoContent());
		this.mvc.perform(get("/api/mcp/connections/" + connection.id()).with(user("alice")))
			.andExpect(status().isNotFound());
	}

	@Test
	void hostControllerWhenOtherUsersConnectionIdThenNotFoundProblemDetails() throws Exception {
		McpConnection connection = this.connections.create(McpOwner.of("alice"),
				NewConnection.of("https://mcp.example.com/host-controller"), ConnectionStatus.ACTIVE);
		String foreign = this.mvc
			.perform(post("/host/connections/" + connection.id() + "/tools/echo").with(user("bob"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:connection-not-found"))
			.andExpect(jsonPath("$.code").value("connection-not-found"))
			.andExpect(jsonPath("$.status").value(404))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String missing = this.mvc
			.perform(post("/host/connections/" + UUID.randomUUID() + "/tools/echo").with(user("bob"))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(status().isNotFound())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(withoutInstance(foreign)).isEqualTo(withoutInstance(missing)).doesNotContain("host-controller");
	}

	@Test
	void restWhenMalformedIdThenSameNotFoundProblem() throws Exception {
		this.mvc.perform(get("/api/mcp/connections/not-a-uuid").with(user("alice")))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("urn:mcp-connector:problem:connection-not-found"));
	}

	@Test
	void restWhenUnauthenticatedThenRefused() throws Exception {
		this.mvc.perform(get("/api/mcp/connections")).andExpect(status().isUnauthorized());
	}

	@Test
	void restWhenDeleteWithoutCsrfTokenThenForbidden() throws Exception {
		McpConnection connection = this.connections.create(McpOwner.of("alice"),
				NewConnection.of("https://mcp.example.com/csrf"), ConnectionStatus.ACTIVE);
		this.mvc.perform(delete("/api/mcp/connections/" + connection.id()).with(user("alice")))
			.andExpect(status().isForbidden());
		assertThat(this.connections.get(McpOwner.of("alice"), connection.id())).isEqualTo(connection);
	}

	private static String withoutInstance(String problem) {
		return problem.replaceAll("\"instance\":\"[^\"]*\"", "");
	}

}
