package dev.mcpconnector.web;

import java.util.List;
import java.util.UUID;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.TestSchemaFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code GET /api/mcp/connections/{id}/tools}: a tool's input schema reaches the REST client as
 * the server wrote it.
 */
@Tag("fast")
class McpConnectionControllerToolsTests {

	private static final UUID CONNECTION = UUID.fromString("00000000-0000-0000-0000-0000000000c3");

	private final McpToolExecutor executor = mock(McpToolExecutor.class);

	@Test
	void toolsEndpointAnswersTheToolsSchemaWholeAndNeverFetchesItsRefs() throws Exception {
		try (TestSchemaFixture fixture = TestSchemaFixture.start()) {
			given(this.executor.listTools(McpOwner.of("alice"), CONNECTION)).willReturn(List.of(fixture.tool()));
			McpConnectionController controller = new McpConnectionController(mock(McpConnectionService.class),
					mock(McpAuthorizationService.class), this.executor, new WebPaths("/api/mcp", null, "/"),
					(authentication) -> McpOwner.of(authentication.getName()));
			MockMvc mvc = MockMvcBuilders.standaloneSetup(controller)
				.addPlaceholderValue("mcp.connector.web.base-path", "/api/mcp")
				.build();

			String body = mvc
				.perform(get("/api/mcp/connections/" + CONNECTION + "/tools")
					.principal(UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of())))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();

			JsonNode tools = JsonMapper.builder().build().readTree(body);
			assertThat(tools.at("/0/name").asString()).isEqualTo("json_schema_2020_12_tool");
			fixture.assertWholeAndNotFetched(tools.at("/0/inputSchema").toString());
		}
	}

}
