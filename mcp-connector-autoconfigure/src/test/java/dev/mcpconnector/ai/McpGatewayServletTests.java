package dev.mcpconnector.ai;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestSchemaFixture;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The gateway refuses a request without an authenticated user itself, even when the host's
 * security configuration lets the path through ({@code permitAll}, or no rule at all); its
 * {@code tools/list} hands a tool's input schema on whole.
 */
@Tag("fast")
class McpGatewayServletTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final McpToolExecutor executor = mock(McpToolExecutor.class);

	private final McpConnectionService connections = new McpConnectionService(McpConnectionRepository.inMemory(),
			Clock.systemUTC());

	private final McpGatewayServlet servlet = new McpGatewayServlet(this.executor, this.connections,
			(authentication) -> McpOwner.of(authentication.getName()),
			AesGcmSecretCipher.fromBase64(Map.of("k1", TestKeys.newBase64Key()), "k1"), "/api/mcp/gateway/mcp", List.of(),
			new McpSchema.Implementation("gateway", "1"));

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
		this.servlet.destroy();
	}

	@Test
	void requestWithoutUserGets401ProblemAndReachesNoTool() throws Exception {
		assertUnauthorized();
	}

	@Test
	void requestOfAnonymousUserGets401Problem() throws Exception {
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertUnauthorized();
	}

	@Test
	void toolsListHandsTheToolsSchemaOnWholeAndNeverFetchesItsRefs() throws Exception {
		try (TestSchemaFixture fixture = TestSchemaFixture.start()) {
			McpOwner alice = McpOwner.of("alice");
			UUID suite = this.connections
				.create(alice, new NewConnection("https://suite.example/mcp", "Suite", null), ConnectionStatus.ACTIVE)
				.id();
			given(this.executor.tools(alice)).willReturn(List.of(new McpToolDescriptor(suite, "Suite",
					"Suite__json_schema_2020_12_tool", fixture.tool())));
			SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of()));

			MockHttpServletResponse initialized = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
					+ "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
					+ "\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}");
			String session = initialized.getHeader("Mcp-Session-Id");
			assertThat(session).as("session of %s", initialized.getContentAsString()).isNotNull();
			assertThat(post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").getStatus())
				.isEqualTo(202);
			MockHttpServletResponse listed = post(session,
					"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}");

			JsonNode result = result(listed.getContentAsString());
			assertThat(result.at("/tools/0/name").asString()).isEqualTo("Suite__json_schema_2020_12_tool");
			fixture.assertWholeAndNotFetched(JSON.writeValueAsString(result.at("/tools/0/inputSchema")));
		}
	}

	private MockHttpServletResponse post(String session, String body) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/mcp/gateway/mcp");
		request.setAsyncSupported(true);
		request.setContentType("application/json");
		request.addHeader("Accept", "application/json, text/event-stream");
		if (session != null) {
			request.addHeader("Mcp-Session-Id", session);
		}
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.servlet.service(request, response);
		return response;
	}

	/** The {@code result} of the JSON-RPC response in a JSON or an SSE body. */
	private static JsonNode result(String body) {
		for (String line : body.split("\n")) {
			String data = line.startsWith("data:") ? line.substring(5).strip() : line.strip();
			if (data.startsWith("{") && JSON.readTree(data).has("result")) {
				return JSON.readTree(data).get("result");
			}
		}
		throw new AssertionError("No JSON-RPC result in " + body);
	}

	private void assertUnauthorized() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/mcp/gateway/mcp");
		request.setContentType("application/json");
		request.addHeader("Accept", "application/json, text/event-stream");
		request.setContent(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
				+ "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}").getBytes());
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.servlet.service(request, response);

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"type\":\"urn:mcp-connector:problem:unauthenticated\"")
			.contains("\"status\":401");
		assertThat(response.getHeader("Mcp-Session-Id")).isNull();
		verifyNoInteractions(this.executor);
	}

}
