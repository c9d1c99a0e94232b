package dev.mcpconnector.ai;

import java.time.Duration;
import java.util.List;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The gateway refuses a request without an authenticated user itself, even when the host's
 * security configuration lets the path through ({@code permitAll}, or no rule at all).
 */
@Tag("fast")
class McpGatewayServletTests {

	private final McpToolExecutor executor = mock(McpToolExecutor.class);

	private final McpGatewayServlet servlet = new McpGatewayServlet(this.executor,
			(authentication) -> McpOwner.of(authentication.getName()), "/api/mcp/gateway/mcp", List.of(),
			new McpSchema.Implementation("gateway", "1"), Duration.ofSeconds(5));

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
