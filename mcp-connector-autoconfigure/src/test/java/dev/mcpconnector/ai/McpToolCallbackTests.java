package dev.mcpconnector.ai;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.execution.McpUserTools;
import dev.mcpconnector.test.TestSchemaFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.util.json.JsonParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A Spring AI tool callback's definition: the schema a model provider integration reads from
 * it is the tool's schema, whole.
 */
@Tag("fast")
class McpToolCallbackTests {

	private static final UUID CONNECTION = UUID.fromString("00000000-0000-0000-0000-0000000000c2");

	@Test
	void toolDefinitionCarriesTheToolsSchemaWholeAndNeverFetchesItsRefs() {
		try (TestSchemaFixture fixture = TestSchemaFixture.start()) {
			McpUserTools tools = mock(McpUserTools.class);
			given(tools.owner()).willReturn(McpOwner.of("alice"));
			given(tools.tools()).willReturn(List.of(new McpToolDescriptor(CONNECTION, "Suite",
					"Suite__json_schema_2020_12_tool", fixture.tool())));

			ToolCallback[] callbacks = new McpToolCallbacks(mock(McpToolExecutor.class)).toolCallbacks(tools);

			assertThat(callbacks).hasSize(1);
			assertThat(callbacks[0].getToolDefinition().name()).isEqualTo("Suite__json_schema_2020_12_tool");
			String inputSchema = callbacks[0].getToolDefinition().inputSchema();
			fixture.assertWholeAndNotFetched(inputSchema);
			// as Spring AI's provider integrations read it
			fixture.assertWholeAndNotFetched(JsonParser.fromJson(inputSchema, Map.class));
		}
	}

}
