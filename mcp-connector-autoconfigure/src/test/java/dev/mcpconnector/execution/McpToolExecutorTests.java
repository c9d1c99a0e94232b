package dev.mcpconnector.execution;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The executor against {@code @modelcontextprotocol/server-everything} (Streamable HTTP, from
 * npm, on loopback): tools, resources and prompts through the executor and the REST API; a
 * server restart between calls; a tool slower than the timeout; another user's connection id;
 * and no SQL on a warm call.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.client.request-timeout=2s")
@AutoConfigureMockMvc
@Import(McpToolExecutorTests.CountingDataSource.class)
class McpToolExecutorTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static final AtomicLong connectionsTaken = new AtomicLong();

	private static final AtomicLong backgroundConnections = new AtomicLong();

	private static NodePeer everything;

	private static int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		port = NodePeer.freePort();
		everything = startEverything(port);
	}

	@AfterAll
	static void stopServer() {
		everything.close();
	}

	static NodePeer startEverything(int port) {
		return NodePeer.start("server-everything-" + port,
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(port)), port);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpToolExecutor executor;

	@Autowired
	McpConnectionService connections;

	private final McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());

	@Test
	void toolsResourcesAndPromptsThroughExecutorAndRest() throws Exception {
		UUID id = connectThroughRest(this.alice.principal(), "http://127.0.0.1:" + port + "/mcp", "Everything");

		List<McpSchema.Tool> tools = this.executor.listTools(this.alice, id);
		assertThat(tools).extracting(McpSchema.Tool::name).contains("echo", "get-sum");
		assertThat(text(this.executor.callTool(this.alice, id, "echo", Map.of("message", "hello")))).isEqualTo("Echo: hello");
		assertThat(text(this.executor.callTool(this.alice, id, "get-sum", "{\"a\": 2, \"b\": 3}"))).contains("5");

		assertThat(this.executor.listResources(this.alice, id)).isNotEmpty();
		assertThat(this.executor.listResourceTemplates(this.alice, id))
			.extracting(McpSchema.ResourceTemplate::uriTemplate)
			.contains("demo://resource/dynamic/text/{resourceId}");
		McpSchema.ReadResourceResult resource = this.executor.readResource(this.alice, id, "demo://resource/dynamic/text/1");
		assertThat(((McpSchema.TextResourceContents) resource.contents().get(0)).text()).contains("Resource 1");

		assertThat(this.executor.listPrompts(this.alice, id)).extracting(McpSchema.Prompt::name)
			.contains("simple-prompt", "args-prompt");
		McpSchema.GetPromptResult prompt = this.executor.getPrompt(this.alice, id, "args-prompt", Map.of("city", "Oslo"));
		assertThat(((McpSchema.TextContent) prompt.messages().get(0).content()).text()).contains("Oslo");

		McpUserTools view = this.executor.forOwner(this.alice);
		assertThat(view.tools()).extracting(McpToolDescriptor::qualifiedName).contains("Everything__echo");
		assertThat(text(view.callTool("Everything__echo", Map.of("message", "qualified")))).isEqualTo("Echo: qualified");
		assertThat(text(view.callToolAsync(id, "echo", Map.of("message", "async")).get())).isEqualTo("Echo: async");

		this.mvc.perform(get("/api/mcp/connections/" + id + "/tools").with(user(this.alice.principal())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItems("echo", "get-sum")));
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/get-sum").with(user(this.alice.principal()))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"a\": 20, \"b\": 22}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].text").value(org.hamcrest.Matchers.containsString("42")));
		String owner = this.alice.principal();
		this.mvc.perform(get("/api/mcp/connections/" + id + "/resources").with(user(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].uri").exists());
		this.mvc.perform(get("/api/mcp/connections/" + id + "/resource-templates").with(user(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].uriTemplate")
				.value(org.hamcrest.Matchers.hasItem("demo://resource/dynamic/text/{resourceId}")));
		this.mvc.perform(get("/api/mcp/connections/" + id + "/resources/read").param("uri", "demo://resource/dynamic/text/2")
			.with(user(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.contents[0].text").value(org.hamcrest.Matchers.containsString("Resource 2")));
		this.mvc.perform(get("/api/mcp/connections/" + id + "/prompts").with(user(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItems("simple-prompt", "args-prompt")));
		this.mvc.perform(post("/api/mcp/connections/" + id + "/prompts/args-prompt").with(user(owner))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"city\": \"Lima\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.messages[0].content.text").value(org.hamcrest.Matchers.containsString("Lima")));
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user("bob"))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\": \"x\"}"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.code").value("connection-not-found"));
	}

	@Test
	void deleteThroughRestWhenSessionOpenThenTheDeletedEventClosesIt() throws Exception {
		McpConnection connection = this.connections.create(this.alice,
				NewConnection.of("http://127.0.0.1:" + port + "/mcp"), ConnectionStatus.ACTIVE);
		this.executor.listTools(this.alice, connection.id());
		assertThat(this.executor.hasSession(this.alice, connection.id())).isTrue();
		this.mvc
			.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
				.delete("/api/mcp/connections/" + connection.id())
				.with(user(this.alice.principal()))
				.with(csrf()))
			.andExpect(status().isNoContent());
		assertThat(this.executor.hasSession(this.alice, connection.id())).isFalse();
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.executor.listTools(this.alice, connection.id()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND));
	}

	@Test
	void callWhenServerRestartedBetweenCallsThenSucceedsWithoutUserAction() {
		int ownPort = NodePeer.freePort();
		NodePeer server = startEverything(ownPort);
		McpConnection connection = this.connections.create(this.alice,
				NewConnection.of("http://127.0.0.1:" + ownPort + "/mcp"), ConnectionStatus.ACTIVE);
		try {
			assertThat(text(this.executor.callTool(this.alice, connection.id(), "echo", Map.of("message", "one"))))
				.isEqualTo("Echo: one");
			server.close();
			server = startEverything(ownPort);
			assertThat(text(this.executor.callTool(this.alice, connection.id(), "echo", Map.of("message", "two"))))
				.isEqualTo("Echo: two");
		}
		finally {
			server.close();
		}
	}

	@Test
	void checkWhenServerGoesDownAndComesBackThenUnreachableThenActive() throws Exception {
		int ownPort = NodePeer.freePort();
		NodePeer server = startEverything(ownPort);
		UUID id = connectThroughRest(this.alice.principal(), "http://127.0.0.1:" + ownPort + "/mcp", "Checked");
		try {
			this.mvc.perform(post("/api/mcp/connections/" + id + "/check").with(user(this.alice.principal())).with(csrf()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.status").value("ACTIVE"))
				.andExpect(jsonPath("$.reachable").value(true))
				.andExpect(jsonPath("$.toolCount").value(org.hamcrest.Matchers.greaterThan(0)));
			server.close();
			this.mvc.perform(post("/api/mcp/connections/" + id + "/check").with(user(this.alice.principal())).with(csrf()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.status").value("UNREACHABLE"))
				.andExpect(jsonPath("$.reachable").value(false));
			this.mvc.perform(get("/api/mcp/connections/" + id).with(user(this.alice.principal())))
				.andExpect(jsonPath("$.status").value("UNREACHABLE"));
			server = startEverything(ownPort);
			this.mvc.perform(post("/api/mcp/connections/" + id + "/check").with(user(this.alice.principal())).with(csrf()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.status").value("ACTIVE"))
				.andExpect(jsonPath("$.reachable").value(true));
			this.mvc.perform(post("/api/mcp/connections/" + id + "/refresh").with(user(this.alice.principal())).with(csrf()))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("invalid-connection-request"));
		}
		finally {
			server.close();
		}
	}

	@Test
	void callWhenToolSlowerThanTimeoutThenTypedTimeoutAndNextCallSucceeds() {
		McpConnection connection = this.connections.create(this.alice,
				NewConnection.of("http://127.0.0.1:" + port + "/mcp"), ConnectionStatus.ACTIVE);
		this.executor.listTools(this.alice, connection.id());
		long start = System.nanoTime();
		assertThatExceptionOfType(McpExecutionException.class)
			.isThrownBy(() -> this.executor.callTool(this.alice, connection.id(), "trigger-long-running-operation",
					Map.of("duration", 6, "steps", 3)))
			.satisfies((ex) -> assertThat(ex.isTimeout()).isTrue());
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		System.out.println("[McpToolExecutorTests] timeout of 2000 ms surfaced after " + elapsedMillis + " ms");
		assertThat(elapsedMillis).as("typed timeout within timeout + 1 s").isLessThan(3000);
		assertThat(text(this.executor.callTool(this.alice, connection.id(), "echo", Map.of("message", "after"))))
			.isEqualTo("Echo: after");
	}

	@Test
	void callWhenConnectionHasItsOwnTimeoutThenItApplies() throws Exception {
		String body = this.mvc
			.perform(post("/api/mcp/connections").with(user(this.alice.principal()))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"http://127.0.0.1:" + port + "/mcp\",\"requestTimeout\":\"PT1S\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		UUID id = UUID.fromString(JsonMapper.shared().readTree(body).get("id").asString());
		assertThat(this.connections.get(this.alice, id).requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(1));
		this.executor.listTools(this.alice, id);
		this.mvc.perform(post("/api/mcp/connections/" + id + "/tools/trigger-long-running-operation")
			.with(user(this.alice.principal()))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"duration\": 3, \"steps\": 3}"))
			.andExpect(status().isGatewayTimeout())
			.andExpect(jsonPath("$.code").value("upstream-timeout"));
	}

	@Test
	void callWhenConnectionCapsResponseSizeThenLargerAnswersFailTyped() throws Exception {
		String body = this.mvc
			.perform(post("/api/mcp/connections").with(user(this.alice.principal()))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"http://127.0.0.1:" + port
						+ "/mcp\",\"connectTimeout\":\"PT2S\",\"maxResponseBytes\":65536}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		UUID id = UUID.fromString(JsonMapper.shared().readTree(body).get("id").asString());
		McpConnection stored = this.connections.get(this.alice, id);
		assertThat(stored.limits().connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
		assertThat(stored.limits().maxResponseBytes()).isEqualTo(65536L);
		assertThat(text(this.executor.callTool(this.alice, id, "echo", Map.of("message", "small")))).isEqualTo("Echo: small");
		assertThatExceptionOfType(McpExecutionException.class).isThrownBy(
				() -> this.executor.callTool(this.alice, id, "echo", Map.of("message", "x".repeat(100_000))));
		assertThat(text(this.executor.callTool(this.alice, id, "echo", Map.of("message", "small again"))))
			.isEqualTo("Echo: small again");
	}

	@Test
	void forCurrentUserWhenAuthenticatedThenBoundToThatOwner() {
		org.springframework.security.core.context.SecurityContextHolder.getContext()
			.setAuthentication(new org.springframework.security.authentication.TestingAuthenticationToken(
					this.alice.principal(), "n/a", "ROLE_USER"));
		try {
			McpUserTools view = this.executor.forCurrentUser();
			assertThat(view.owner()).isEqualTo(this.alice);
		}
		finally {
			org.springframework.security.core.context.SecurityContextHolder.clearContext();
		}
		assertThatExceptionOfType(McpToolExecutor.AuthenticationRequiredException.class)
			.isThrownBy(() -> this.executor.forCurrentUser());
	}

	@Test
	void callWhenAnotherUsersConnectionThenSameAsNonexistentAndNoRequestSent() {
		try (TestOAuthPeer server = new TestOAuthPeer()) {
			McpConnection alices = this.connections.create(this.alice, NewConnection.of(server.mcpUrl()),
					ConnectionStatus.ACTIVE);
			McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());
			McpConnectorException foreign = catchNotFound(
					() -> this.executor.callTool(bob, alices.id(), "echo", Map.of()));
			McpConnectorException missing = catchNotFound(
					() -> this.executor.callTool(bob, UUID.randomUUID(), "echo", Map.of()));
			assertThat(foreign.getMessage()).isEqualTo(missing.getMessage());
			assertThat(foreign.errorCode()).isEqualTo(missing.errorCode());
			catchNotFound(() -> this.executor.listTools(bob, alices.id()));
			catchNotFound(() -> this.executor.readResource(bob, alices.id(), "demo://x"));
			assertThat(server.requests()).isEmpty();
		}
	}

	@Test
	void callWhenSessionWarmThenNoSqlRuns() {
		McpConnection connection = this.connections.create(this.alice,
				NewConnection.of("http://127.0.0.1:" + port + "/mcp"), ConnectionStatus.ACTIVE);
		this.executor.callTool(this.alice, connection.id(), "echo", Map.of("message", "warm-up"));
		long before = connectionsTaken.get();
		for (int i = 0; i < 20; i++) {
			this.executor.callTool(this.alice, connection.id(), "echo", Map.of("message", "warm " + i));
		}
		long during = connectionsTaken.get() - before;
		System.out.println("[McpToolExecutorTests] database connections taken on the calling thread during 20 warm calls: "
				+ during + " (the audit writer's asynchronous batches so far: " + backgroundConnections.get() + ")");
		assertThat(during).isZero();
		// The counter does count: a cold operation reads the database.
		this.connections.list(this.alice);
		assertThat(connectionsTaken.get()).isGreaterThan(before);
	}

	private UUID connectThroughRest(String user, String serverUrl, String name) throws Exception {
		String body = this.mvc
			.perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"serverUrl\":\"" + serverUrl + "\",\"name\":\"" + name + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("ACTIVE"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return UUID.fromString(JsonMapper.shared().readTree(body).get("id").asString());
	}

	private static String text(McpSchema.CallToolResult result) {
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

	private static McpConnectorException catchNotFound(Runnable action) {
		try {
			action.run();
		}
		catch (McpConnectorException ex) {
			assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CONNECTION_NOT_FOUND);
			return ex;
		}
		throw new AssertionError("expected connection-not-found");
	}

	/** Counts every connection taken from the application's DataSource. */
	@TestConfiguration(proxyBeanMethods = false)
	static class CountingDataSource {

		@Bean
		static BeanPostProcessor countingDataSourcePostProcessor() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof DataSource target)) {
						return bean;
					}
					return Proxy.newProxyInstance(DataSource.class.getClassLoader(),
							new Class<?>[] { DataSource.class, java.io.Closeable.class }, (proxy, method, args) -> {
								// The audit log writes asynchronously in batches on its own thread: that is
								// not work on the call's path, so it is counted apart.
								if (method.getName().equals("getConnection")) {
									if (Thread.currentThread().getName().startsWith("mcp-connector-audit-writer")) {
										backgroundConnections.incrementAndGet();
									}
									else {
										connectionsTaken.incrementAndGet();
									}
								}
								if (method.getName().equals("close") && target instanceof java.io.Closeable closeable) {
									closeable.close();
									return null;
								}
								try {
									return method.invoke(target, args);
								}
								catch (java.lang.reflect.InvocationTargetException ex) {
									throw ex.getCause();
								}
							});
				}
			};
		}

	}

}
