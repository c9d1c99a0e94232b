package dev.mcpconnector.ai;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpconnector.approval.Approval;
import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The current user's tools through Spring AI's own tool calling: a {@link ChatClient} over a
 * scripted {@link ChatModel} that, like a real provider's model, is offered the tool
 * definitions, answers with a tool call, lets Spring AI's {@link ToolCallingManager} execute it,
 * and answers with text built from the tool's result. The tools are those of a real
 * {@code server-everything} on loopback, reached through connections stored in PostgreSQL.
 */
@SpringBootTest(classes = TestApplication.class,
		properties = { "mcp.connector.governance.rules[0].tool=get-sum",
				"mcp.connector.governance.rules[0].action=approve", "mcp.connector.governance.rules[1].tool=get-env",
				"mcp.connector.governance.rules[1].action=deny" })
class McpToolCallbacksTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static NodePeer everything;

	private static int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void startServer() {
		port = NodePeer.freePort();
		everything = NodePeer.start("springai-everything-" + port,
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(port)), port);
	}

	@AfterAll
	static void stopServer() {
		everything.close();
	}

	@Autowired
	McpToolCallbacks provider;

	@Autowired
	McpConnectionService connections;

	@Autowired
	ApprovalService approvals;

	private final McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());

	private final McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());

	@BeforeEach
	void connect() {
		String url = "http://127.0.0.1:" + port + "/mcp";
		this.connections.create(this.alice, new NewConnection(url, "Alice Desk", null), ConnectionStatus.ACTIVE);
		this.connections.create(this.bob, new NewConnection(url, "Bob Lab", null), ConnectionStatus.ACTIVE);
	}

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void chatClientCallsTheCurrentUsersToolThroughTheExecutor() {
		signIn(this.alice);
		ScriptedChatModel model = new ScriptedChatModel("Alice_Desk__echo", "{\"message\":\"hello from alice\"}");

		String answer = ChatClient.create(model).prompt().user("Say hello").toolCallbacks(this.provider.getToolCallbacks()).call().content();

		assertThat(answer).isEqualTo("The tool said: Echo: hello from alice");
		assertThat(model.offered).extracting(ToolDefinition::name)
			.contains("Alice_Desk__echo", "Alice_Desk__get-sum")
			.doesNotContain("Alice_Desk__get-env")
			.allMatch((name) -> ToolNameMapper.NAME_PATTERN.matcher(name).matches())
			.noneMatch((name) -> name.startsWith("Bob_Lab"));
		ToolDefinition echo = model.offered.stream().filter((d) -> d.name().equals("Alice_Desk__echo")).findFirst().get();
		JsonNode schema = JsonMapper.shared().readTree(echo.inputSchema());
		assertThat(schema.get("type").asString()).isEqualTo("object");
		assertThat(schema.get("properties").has("message")).isTrue();
		assertThat(echo.description()).startsWith("[Alice Desk] ");
	}

	@Test
	void streamingCallStaysTheUsersAfterTheRequestThreadForgetsThem() {
		signIn(this.alice);
		ScriptedChatModel model = new ScriptedChatModel("Alice_Desk__echo", "{\"message\":\"streamed\"}");
		Flux<String> answer = ChatClient.create(model).prompt().user("hi").toolCallbacks(this.provider.getToolCallbacks()).stream().content();
		// Nothing has run yet; the tool call happens after this thread no longer knows anyone.
		SecurityContextHolder.clearContext();

		assertThat(String.join("", answer.collectList().block(Duration.ofSeconds(30))))
			.isEqualTo("The tool said: Echo: streamed");
	}

	@Test
	void anotherUsersToolsNeverAppearAndCannotBeCalledByName() {
		signIn(this.bob);
		List<String> bobs = names(this.provider.getToolCallbacks());
		assertThat(bobs).contains("Bob_Lab__echo").noneMatch((name) -> name.startsWith("Alice_Desk"));

		// Bob's model asks for Alice's tool by name: Spring AI has no such callback in his request.
		ScriptedChatModel model = new ScriptedChatModel("Alice_Desk__echo", "{\"message\":\"x\"}");
		assertThatIllegalStateException()
			.isThrownBy(() -> ChatClient.create(model).prompt().user("hi").toolCallbacks(this.provider.getToolCallbacks()).call().content())
			.withMessageContaining("No ToolCallback found for tool name: Alice_Desk__echo");
		assertThat(model.toolResponses).isEmpty();

		signIn(this.alice);
		assertThat(names(this.provider.getToolCallbacks())).contains("Alice_Desk__echo")
			.noneMatch((name) -> name.startsWith("Bob_Lab"));
		// Callbacks made for a user stay that user's, whoever's thread calls them later.
		ToolCallback bobsEcho = Arrays.stream(this.provider.forOwner(this.bob).getToolCallbacks())
			.filter((callback) -> callback.getToolDefinition().name().equals("Bob_Lab__echo"))
			.findFirst()
			.orElseThrow();
		assertThat(bobsEcho.call("{\"message\":\"bound\"}")).isEqualTo("Echo: bound");
	}

	@Test
	void toolThatNeedsApprovalAnswersTheModelWithAClearMessage() {
		signIn(this.alice);
		ScriptedChatModel model = new ScriptedChatModel("Alice_Desk__get-sum", "{\"a\":2,\"b\":3}");

		String answer = ChatClient.create(model).prompt().user("Add").toolCallbacks(this.provider.getToolCallbacks()).call().content();

		List<Approval> pending = this.approvals.pending(this.alice, false);
		assertThat(pending).singleElement().satisfies((approval) -> assertThat(approval.tool()).isEqualTo("get-sum"));
		JsonNode message = JsonMapper.shared().readTree(model.toolResponses.get(0));
		assertThat(message.get("error").asString()).isEqualTo("approval-pending");
		assertThat(message.get("approvalId").asString()).isEqualTo(pending.get(0).id().toString());
		assertThat(message.get("message").asString()).contains("waits for a human approval", "call the tool again");
		assertThat(answer).startsWith("The tool said: {\"error\":\"approval-pending\"");
	}

	@Test
	void invalidArgumentsAndUnknownUsersAreClearToo() {
		signIn(this.alice);
		ToolCallback echo = Arrays.stream(this.provider.getToolCallbacks())
			.filter((callback) -> callback.getToolDefinition().name().equals("Alice_Desk__echo"))
			.findFirst()
			.orElseThrow();
		JsonNode invalid = JsonMapper.shared().readTree(echo.call("not json"));
		assertThat(invalid.get("error").asString()).isEqualTo("invalid-tool-arguments");

		SecurityContextHolder.clearContext();
		assertThat(this.provider.getToolCallbacks()).isEmpty();
	}

	private static List<String> names(ToolCallback[] callbacks) {
		return Arrays.stream(callbacks).map((callback) -> callback.getToolDefinition().name()).toList();
	}

	private static void signIn(McpOwner owner) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(owner.principal(), null,
					AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

	/**
	 * A model with a script: first a call to one tool, then, once the tool's response is in the
	 * conversation, a final answer quoting it. Like a provider's model it turns the request's
	 * tool callbacks into tool definitions (through a {@link ToolCallingManager}) and answers
	 * with tool calls; {@link ChatClient}'s tool-calling advisor executes them and calls it again.
	 */
	static final class ScriptedChatModel implements ChatModel {

		private final ToolCallingManager toolCalling = ToolCallingManager.builder().build();

		private final String toolName;

		private final String arguments;

		final List<ToolDefinition> offered = new CopyOnWriteArrayList<>();

		final List<String> toolResponses = new CopyOnWriteArrayList<>();

		ScriptedChatModel(String toolName, String arguments) {
			this.toolName = toolName;
			this.arguments = arguments;
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			if (prompt.getOptions() instanceof ToolCallingChatOptions options) {
				this.offered.addAll(this.toolCalling.resolveToolDefinitions(options));
			}
			List<Message> conversation = prompt.getInstructions();
			Message last = conversation.get(conversation.size() - 1);
			if (last instanceof ToolResponseMessage toolResponse) {
				String data = toolResponse.getResponses().get(0).responseData();
				this.toolResponses.add(data);
				return new ChatResponse(List.of(new Generation(new AssistantMessage("The tool said: " + data))));
			}
			AssistantMessage call = AssistantMessage.builder()
				.content("")
				.toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", this.toolName, this.arguments)))
				.build();
			return new ChatResponse(List.of(new Generation(call)));
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			return Flux.defer(() -> Flux.just(call(prompt)));
		}

		@Override
		public ChatOptions getOptions() {
			return ToolCallingChatOptions.builder().build();
		}

	}

}
