package dev.mcpconnector.authorization;

import java.nio.file.Files;
import java.util.UUID;

import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Connect finds the revision a real server speaks and stores it, shown in REST as
 * {@code protocolVersion}: the MCP Java SDK 2.2.0's 2026-07-28 server (which has no
 * {@code initialize}) and its Streamable HTTP server of the earlier revisions, both in an
 * embedded Tomcat on loopback, connections in PostgreSQL.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class ProtocolRevisionTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static Tomcat tomcat;

	private static io.modelcontextprotocol.modern.server.McpServer modern;

	private static McpSyncServer legacy;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServers() throws Exception {
		McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
		modern = io.modelcontextprotocol.modern.server.McpServer.builder()
			.serverInfo(new io.modelcontextprotocol.modern.McpSchema.Implementation("modern-peer", null, "1.0.0", null,
					null, null))
			.jsonMapper(mapper)
			.build();
		HttpServletMcpTransport modernServlet = HttpServletMcpTransport.builder(modern)
			.jsonMapper(mapper)
			.endpoint("/modern/mcp")
			.build();
		HttpServletStreamableServerTransportProvider legacyServlet = HttpServletStreamableServerTransportProvider
			.builder()
			.jsonMapper(mapper)
			.mcpEndpoint("/legacy/mcp")
			.build();
		legacy = McpServer.sync(legacyServlet)
			.serverInfo("legacy-peer", "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
			.build();
		tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("revision-tomcat").toString());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		Context context = tomcat.addContext("", null);
		addServlet(context, "modern", modernServlet, "/modern/mcp");
		addServlet(context, "legacy", legacyServlet, "/legacy/mcp");
		tomcat.start();
	}

	private static void addServlet(Context context, String name, HttpServlet servlet, String path) {
		Tomcat.addServlet(context, name, servlet).setAsyncSupported(true);
		context.addServletMappingDecoded(path, name);
	}

	@AfterAll
	static void stopServers() throws Exception {
		legacy.close();
		modern.closeGracefully();
		tomcat.stop();
		tomcat.destroy();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Test
	void connectWhenServerSpeaks2026_07_28ThenThatRevisionIsStoredAndShown() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		UUID id = connect(alice, url("/modern/mcp"), "2026-07-28");
		assertThat(this.repository.find(McpOwner.of(alice), id).orElseThrow().protocolVersion())
			.isEqualTo("2026-07-28");
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(alice)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.protocolVersion").value("2026-07-28"))
			.andExpect(jsonPath("$.transport").value("STREAMABLE_HTTP"));
		this.mvc.perform(get("/api/mcp/connections").with(user(alice)))
			.andExpect(jsonPath("$[0].protocolVersion").value("2026-07-28"));
	}

	@Test
	void connectWhenServerSpeaksAnEarlierRevisionThenWhatInitializeNegotiatedIsStoredAndShown() throws Exception {
		String bob = "bob-" + UUID.randomUUID();
		UUID id = connect(bob, url("/legacy/mcp"), "2025-11-25");
		assertThat(this.repository.find(McpOwner.of(bob), id).orElseThrow().protocolVersion())
			.isEqualTo("2025-11-25");
		this.mvc.perform(get("/api/mcp/connections/" + id).with(user(bob)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.protocolVersion").value("2025-11-25"))
			.andExpect(jsonPath("$.transport").value("STREAMABLE_HTTP"));
	}

	private UUID connect(String user, String serverUrl, String revision) throws Exception {
		String body = this.mvc
			.perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + serverUrl + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andExpect(jsonPath("$.protocolVersion").value(revision))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return UUID.fromString(JsonMapper.shared().readTree(body).path("id").asString());
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path;
	}

}
