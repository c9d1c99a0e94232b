package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 2026-07-28 results, as the SDK's modern client decodes them from the wire, become the
 * {@code spec.McpSchema} values the public API returns, field by field; what only 2026-07-28 has
 * ({@code resultType}, {@code ttlMs}, {@code cacheScope}) is dropped.
 */
@Tag("fast")
class ModernSchemasTests {

	private static final McpJsonMapper json = McpJsonDefaults.getMapper();

	@Test
	void toolsWhenConvertedThenEveryFieldAndTheWholeSchemaKept() throws Exception {
		io.modelcontextprotocol.modern.McpSchema.ListToolsResult listed = read("""
				{"tools":[{"name":"lookup","title":"Look up","description":"Finds a thing",
				 "inputSchema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
				  "$defs":{"id":{"$anchor":"id","type":"string"}},
				  "properties":{"id":{"$ref":"#/$defs/id"},"region":{"type":"string","x-mcp-header":"Region"}},
				  "additionalProperties":false,"required":["id"],
				  "if":{"properties":{"id":{"const":"x"}}},"then":{"required":["region"]},
				  "allOf":[{"type":"object"}]},
				 "outputSchema":{"type":"object","properties":{"found":{"type":"boolean"}}},
				 "annotations":{"title":"Lookup","readOnlyHint":true,"destructiveHint":false,"idempotentHint":true,
				  "openWorldHint":false},
				 "_meta":{"example.com/tag":"t"}}],
				 "nextCursor":null,"ttlMs":60000,"cacheScope":"private","resultType":"complete"}""",
				io.modelcontextprotocol.modern.McpSchema.ListToolsResult.class);

		List<McpSchema.Tool> tools = ModernSchemas.tools(listed.tools());

		assertThat(tools).hasSize(1);
		McpSchema.Tool tool = tools.get(0);
		assertThat(tool.name()).isEqualTo("lookup");
		assertThat(tool.title()).isEqualTo("Look up");
		assertThat(tool.description()).isEqualTo("Finds a thing");
		assertThat(tool.inputSchema()).isEqualTo(listed.tools().get(0).inputSchema());
		assertThat(tool.inputSchema()).containsKeys("$schema", "$defs", "additionalProperties", "if", "then", "allOf");
		assertThat(tool.outputSchema()).isEqualTo(Map.of("type", "object", "properties",
				Map.of("found", Map.of("type", "boolean"))));
		assertThat(tool.annotations().title()).isEqualTo("Lookup");
		assertThat(tool.annotations().readOnlyHint()).isTrue();
		assertThat(tool.annotations().destructiveHint()).isFalse();
		assertThat(tool.annotations().idempotentHint()).isTrue();
		assertThat(tool.annotations().openWorldHint()).isFalse();
		assertThat(tool.meta()).isEqualTo(Map.of("example.com/tag", "t"));
	}

	@Test
	void callToolResultWhenConvertedThenContentStructuredContentErrorAndMetaKept() throws Exception {
		io.modelcontextprotocol.modern.McpSchema.CallToolResult modern = read("""
				{"content":[{"type":"text","text":"hello","annotations":{"audience":["user"],"priority":0.5}},
				 {"type":"image","data":"aGk=","mimeType":"image/png"},
				 {"type":"resource_link","uri":"file:///a.txt","name":"a","mimeType":"text/plain"},
				 {"type":"resource","resource":{"uri":"file:///b.txt","mimeType":"text/plain","text":"bee"}}],
				 "structuredContent":{"sum":3,"parts":[1,2]},"isError":true,"_meta":{"example.com/k":"v"},
				 "resultType":"complete"}""", io.modelcontextprotocol.modern.McpSchema.CallToolResult.class);

		McpSchema.CallToolResult result = ModernSchemas.callToolResult(modern);

		assertThat(result.content()).hasSize(4);
		McpSchema.TextContent text = (McpSchema.TextContent) result.content().get(0);
		assertThat(text.text()).isEqualTo("hello");
		assertThat(text.annotations().audience()).containsExactly(McpSchema.Role.USER);
		assertThat(text.annotations().priority()).isEqualTo(0.5);
		McpSchema.ImageContent image = (McpSchema.ImageContent) result.content().get(1);
		assertThat(image.data()).isEqualTo("aGk=");
		assertThat(image.mimeType()).isEqualTo("image/png");
		McpSchema.ResourceLink link = (McpSchema.ResourceLink) result.content().get(2);
		assertThat(link.uri()).isEqualTo("file:///a.txt");
		assertThat(link.name()).isEqualTo("a");
		assertThat(link.mimeType()).isEqualTo("text/plain");
		McpSchema.EmbeddedResource embedded = (McpSchema.EmbeddedResource) result.content().get(3);
		McpSchema.TextResourceContents contents = (McpSchema.TextResourceContents) embedded.resource();
		assertThat(contents.uri()).isEqualTo("file:///b.txt");
		assertThat(contents.text()).isEqualTo("bee");
		assertThat(result.structuredContent()).isEqualTo(Map.of("sum", 3, "parts", List.of(1, 2)));
		assertThat(result.isError()).isTrue();
		assertThat(result.meta()).isEqualTo(Map.of("example.com/k", "v"));
	}

	@Test
	void resourcesTemplatesAndReadResultWhenConvertedThenFieldsKept() throws Exception {
		io.modelcontextprotocol.modern.McpSchema.ListResourcesResult resources = read("""
				{"resources":[{"uri":"file:///a.txt","name":"a","title":"A","description":"the a","mimeType":"text/plain",
				 "size":3,"_meta":{"example.com/r":1}}],"ttlMs":0}""",
				io.modelcontextprotocol.modern.McpSchema.ListResourcesResult.class);
		McpSchema.Resource resource = ModernSchemas.resources(resources.resources()).get(0);
		assertThat(resource.uri()).isEqualTo("file:///a.txt");
		assertThat(resource.name()).isEqualTo("a");
		assertThat(resource.title()).isEqualTo("A");
		assertThat(resource.description()).isEqualTo("the a");
		assertThat(resource.mimeType()).isEqualTo("text/plain");
		assertThat(resource.size()).isEqualTo(3L);
		assertThat(resource.meta()).isEqualTo(Map.of("example.com/r", 1));

		io.modelcontextprotocol.modern.McpSchema.ListResourceTemplatesResult templates = read("""
				{"resourceTemplates":[{"uriTemplate":"file:///{name}","name":"files","description":"any file",
				 "mimeType":"text/plain"}]}""", io.modelcontextprotocol.modern.McpSchema.ListResourceTemplatesResult.class);
		McpSchema.ResourceTemplate template = ModernSchemas.resourceTemplates(templates.resourceTemplates()).get(0);
		assertThat(template.uriTemplate()).isEqualTo("file:///{name}");
		assertThat(template.name()).isEqualTo("files");
		assertThat(template.description()).isEqualTo("any file");
		assertThat(template.mimeType()).isEqualTo("text/plain");

		io.modelcontextprotocol.modern.McpSchema.ReadResourceResult read = read("""
				{"contents":[{"uri":"file:///a.txt","mimeType":"text/plain","text":"aaa"},
				 {"uri":"file:///b.bin","mimeType":"application/octet-stream","blob":"AAE="}],
				 "ttlMs":1000,"cacheScope":"public","resultType":"complete","_meta":{"example.com/m":true}}""",
				io.modelcontextprotocol.modern.McpSchema.ReadResourceResult.class);
		McpSchema.ReadResourceResult result = ModernSchemas.readResourceResult(read);
		McpSchema.TextResourceContents text = (McpSchema.TextResourceContents) result.contents().get(0);
		assertThat(text.uri()).isEqualTo("file:///a.txt");
		assertThat(text.mimeType()).isEqualTo("text/plain");
		assertThat(text.text()).isEqualTo("aaa");
		McpSchema.BlobResourceContents blob = (McpSchema.BlobResourceContents) result.contents().get(1);
		assertThat(blob.uri()).isEqualTo("file:///b.bin");
		assertThat(blob.mimeType()).isEqualTo("application/octet-stream");
		assertThat(blob.blob()).isEqualTo("AAE=");
		assertThat(result.meta()).isEqualTo(Map.of("example.com/m", true));
	}

	@Test
	void promptsAndGetPromptResultWhenConvertedThenFieldsKept() throws Exception {
		io.modelcontextprotocol.modern.McpSchema.ListPromptsResult prompts = read("""
				{"prompts":[{"name":"greet","title":"Greet","description":"Says hello",
				 "arguments":[{"name":"who","description":"whom","required":true}]}]}""",
				io.modelcontextprotocol.modern.McpSchema.ListPromptsResult.class);
		McpSchema.Prompt prompt = ModernSchemas.prompts(prompts.prompts()).get(0);
		assertThat(prompt.name()).isEqualTo("greet");
		assertThat(prompt.title()).isEqualTo("Greet");
		assertThat(prompt.description()).isEqualTo("Says hello");
		assertThat(prompt.arguments()).singleElement().satisfies((argument) -> {
			assertThat(argument.name()).isEqualTo("who");
			assertThat(argument.description()).isEqualTo("whom");
			assertThat(argument.required()).isTrue();
		});

		io.modelcontextprotocol.modern.McpSchema.GetPromptResult got = read("""
				{"description":"A greeting","messages":[{"role":"user","content":{"type":"text","text":"Hi Ann"}},
				 {"role":"assistant","content":{"type":"text","text":"Hello"}}],"resultType":"complete"}""",
				io.modelcontextprotocol.modern.McpSchema.GetPromptResult.class);
		McpSchema.GetPromptResult result = ModernSchemas.getPromptResult(got);
		assertThat(result.description()).isEqualTo("A greeting");
		assertThat(result.messages()).hasSize(2);
		assertThat(result.messages().get(0).role()).isEqualTo(McpSchema.Role.USER);
		assertThat(((McpSchema.TextContent) result.messages().get(0).content()).text()).isEqualTo("Hi Ann");
		assertThat(result.messages().get(1).role()).isEqualTo(McpSchema.Role.ASSISTANT);
	}

	@Test
	void elicitFormRequestWhenConvertedThenMessageSchemaAndMetaKept() throws Exception {
		io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest form = read("""
				{"mode":"form","message":"Please confirm","requestedSchema":{"type":"object",
				 "properties":{"confirmed":{"type":"boolean","description":"Confirm?"}},"required":["confirmed"]},
				 "_meta":{"example.com/tag":"t"}}""", io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest.class);
		McpSchema.ElicitFormRequest request = ModernSchemas.elicitFormRequest(form);
		assertThat(request.message()).isEqualTo("Please confirm");
		assertThat(request.requestedSchema()).isEqualTo(form.requestedSchema()).containsKeys("properties", "required");
		assertThat(request.meta()).isEqualTo(Map.of("example.com/tag", "t"));
	}

	@Test
	void elicitResultWhenAcceptedThenContentCompletedWithDefaultsNeverOverwritten() {
		Map<String, Object> schema = Map.of("type", "object", "properties",
				Map.of("name", Map.of("type", "string", "default", "John Doe"), "age",
						Map.of("type", "integer", "default", 30), "note", Map.of("type", "string", "default", "n"),
						"plain", Map.of("type", "string")));
		Map<String, Object> content = new java.util.HashMap<>();
		content.put("age", 41);
		content.put("note", null);
		io.modelcontextprotocol.modern.McpSchema.ElicitResult accepted = ModernSchemas.elicitResult(
				new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content, Map.of("k", "v")), schema);
		assertThat(accepted.action()).isEqualTo(io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action.ACCEPT);
		assertThat(accepted.content()).containsEntry("name", "John Doe")
			.containsEntry("age", 41)
			.containsEntry("note", null)
			.doesNotContainKey("plain")
			.hasSize(3);
		assertThat(content).hasSize(2);
	}

	@Test
	void elicitResultWhenDeclinedOrCancelledThenSameActionAndNoDefaults() {
		Map<String, Object> schema = Map.of("properties", Map.of("name", Map.of("default", "x")));
		io.modelcontextprotocol.modern.McpSchema.ElicitResult declined = ModernSchemas
			.elicitResult(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null, null), schema);
		assertThat(declined.action()).isEqualTo(io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action.DECLINE);
		assertThat(declined.content()).isNull();
		io.modelcontextprotocol.modern.McpSchema.ElicitResult cancelled = ModernSchemas
			.elicitResult(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null, null), schema);
		assertThat(cancelled.action()).isEqualTo(io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action.CANCEL);
		assertThat(cancelled.content()).isNull();
	}

	private static <T> T read(String text, Class<T> type) throws Exception {
		return json.readValue(text, type);
	}

}
