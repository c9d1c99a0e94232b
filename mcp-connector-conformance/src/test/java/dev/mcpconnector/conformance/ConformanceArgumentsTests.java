package dev.mcpconnector.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** What the conformance client sends, without the suite. */
class ConformanceArgumentsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@SuppressWarnings("unchecked")
	private static Map<String, Object> parse(String text) {
		return json.readValue(text, LinkedHashMap.class);
	}

	@Test
	void toolCallsOfTheContextKeepEveryArgumentNullsIncluded() {
		List<ConformanceArguments.ToolCall> calls = ConformanceArguments.toolCalls(json.readTree("""
				{"toolCalls":[{"name":"test_custom_headers","arguments":{"region":"us-west1","priority":42,
				  "float_val":3.14159,"non_ascii_val":"Hello, 世界","crlf_val":"line1\\r\\nline2","empty_val":""}},
				 {"name":"test_custom_headers_null","arguments":{"region":"us-east1","verbose":null}}]}"""));

		assertThat(calls).extracting(ConformanceArguments.ToolCall::name)
			.containsExactly("test_custom_headers", "test_custom_headers_null");
		assertThat(calls.get(0).arguments()).containsExactly(entry("region", "us-west1"), entry("priority", 42),
				entry("float_val", 3.14159), entry("non_ascii_val", "Hello, 世界"), entry("crlf_val", "line1\r\nline2"),
				entry("empty_val", ""));
		assertThat(calls.get(1).arguments()).containsExactly(entry("region", "us-east1"), entry("verbose", null));
		assertThat(ConformanceArguments.toolCalls(json.readTree("{\"client_id\":\"x\"}"))).isEmpty();
		assertThat(ConformanceArguments.toolCalls(null)).isEmpty();
	}

	@Test
	void schemaEchoSendsTheListedSchemaItselfOtherToolsMadeUpArguments() {
		Map<String, Object> focal = parse("""
				{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
				 "$defs":{"a":{"$anchor":"x"}},"properties":{"a":{"$ref":"#/$defs/a"}},"additionalProperties":false}""");
		McpSchema.Tool schemaTool = McpSchema.Tool.builder().name("json_schema_2020_12_tool").inputSchema(focal).build();
		McpSchema.Tool echo = McpSchema.Tool.builder()
			.name("json_schema_echo")
			.inputSchema(parse("{\"type\":\"object\",\"properties\":{\"schema\":{\"type\":\"object\"}}}"))
			.build();
		McpSchema.Tool add = McpSchema.Tool.builder()
			.name("add_numbers")
			.inputSchema(parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}}}"))
			.build();
		List<McpSchema.Tool> listed = List.of(schemaTool, echo, add);

		assertThat(ConformanceArguments.forTool(echo, listed)).containsOnlyKeys("schema");
		assertThat(ConformanceArguments.forTool(echo, listed).get("schema")).isSameAs(schemaTool.inputSchema());
		assertThat(ConformanceArguments.forTool(add, listed)).containsExactly(entry("a", 2), entry("b", 3));
		// without the focal tool the echo tool is just a tool
		assertThat(ConformanceArguments.forTool(echo, List.of(echo))).containsExactly(entry("schema", Map.of()));
	}

	@Test
	void elicitationIsAnsweredWithDefaultsElseEnumsElseValuesOfTheType() {
		Map<String, Object> content = ConformanceArguments.elicitationContent(parse("""
				{"type":"object","properties":{"name":{"type":"string","default":"John Doe"},
				 "age":{"type":"integer","default":30},"score":{"type":"number","default":95.5},
				 "status":{"type":"string","enum":["active","inactive"],"default":"inactive"},
				 "verified":{"type":"boolean","default":true},"confirmed":{"type":"boolean"},
				 "level":{"type":"string","enum":["low","high"]},"count":{"type":"integer","minimum":5},
				 "note":{"type":"string"}}}"""));

		assertThat(content).containsExactly(entry("name", "John Doe"), entry("age", 30), entry("score", 95.5),
				entry("status", "inactive"), entry("verified", true), entry("confirmed", true), entry("level", "low"),
				entry("count", 5), entry("note", "test"));
		assertThat(ConformanceArguments.elicitationContent(null)).isEmpty();
	}

	@Test
	void promptArgumentsNameEveryDeclaredArgument() {
		McpSchema.Prompt prompt = new McpSchema.Prompt("p", null, null,
				List.of(new McpSchema.PromptArgument("topic", null, null, true)), null, null);
		assertThat(ConformanceArguments.forPrompt(prompt)).containsExactly(entry("topic", "test"));
		assertThat(ConformanceArguments.forPrompt(new McpSchema.Prompt("q", null, null, null, null, null))).isEmpty();
	}

}
