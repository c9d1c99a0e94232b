package dev.mcpconnector.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.test.TestSchemaFixture;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class ToolSchemasTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	static Schema metaSchema;

	static final UUID FILES = UUID.fromString("00000000-0000-0000-0000-00000000000a");

	static final UUID TICKETS = UUID.fromString("00000000-0000-0000-0000-00000000000b");

	/** A tool, a sample arguments object that its schema accepts, and one it rejects. */
	record Case(McpToolDescriptor descriptor, String valid, String invalid) {
	}

	@BeforeAll
	static void loadMetaSchema() {
		metaSchema = registry.getSchema(SchemaLocation.of(ToolSchemas.DRAFT_2020_12));
	}

	static Map<String, Object> parse(String schema) {
		return json.readValue(schema, LinkedHashMap.class);
	}

	static Case tool(UUID connection, String connectionName, String name, String title, String description,
			String schema, String valid, String invalid) {
		Map<String, Object> inputSchema = (schema != null) ? parse(schema) : null;
		McpSchema.Tool tool = new McpSchema.Tool(name, title, description, inputSchema, null, null, null);
		return new Case(new McpToolDescriptor(connection, connectionName, connectionName + "__" + name, tool), valid,
				invalid);
	}

	static List<Case> cases() {
		List<Case> cases = new ArrayList<>();
		// what the TypeScript SDK (zod-to-json-schema) sends: draft-07 $schema
		cases.add(tool(FILES, "Files", "read_file", null, "Read a file", """
				{"type":"object","properties":{"path":{"type":"string","minLength":1}},"required":["path"],
				 "additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}""",
				"{\"path\":\"/tmp/a\"}", "{\"path\":\"\"}"));
		// only a type (the SDK won't build a tool without a schema)
		cases.add(tool(FILES, "Files", "ping", "Ping the server", null, "{\"type\":\"object\"}", "{}", "[]"));
		// an empty schema: no type, no properties
		cases.add(tool(FILES, "Files", "noop", null, "  ", "{}", "{\"anything\":1}", "\"a string\""));
		// properties without a root type
		cases.add(tool(FILES, "Files", "list dir", null, "List a directory", """
				{"properties":{"depth":{"type":"integer","minimum":0}}}""", "{\"depth\":2}", "{\"depth\":-1}"));
		// draft-04: boolean exclusiveMinimum, tuple items with additionalItems, definitions and $ref
		cases.add(tool(TICKETS, "Tickets", "create.ticket", null, "Create a ticket", """
				{"$schema":"http://json-schema.org/draft-04/schema#","type":"object",
				 "definitions":{"priority":{"type":"integer","minimum":0,"exclusiveMinimum":true,"maximum":5}},
				 "properties":{
				   "title":{"type":"string"},
				   "priority":{"$ref":"#/definitions/priority"},
				   "range":{"type":"array","items":[{"type":"integer"},{"type":"integer"}],"additionalItems":false}
				 },
				 "required":["title"]}""", "{\"title\":\"t\",\"priority\":1,\"range\":[1,2]}",
				"{\"title\":\"t\",\"priority\":0}"));
		// 2020-12 already: $schema kept, $defs, prefixItems, a property literally named "$schema"
		cases.add(tool(TICKETS, "Tickets", "import", "Import tickets", null, """
				{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
				 "$defs":{"id":{"type":"string","pattern":"^T-[0-9]+$"}},
				 "properties":{
				   "$schema":{"type":"string","description":"the import format"},
				   "ids":{"type":"array","items":{"$ref":"#/$defs/id"}},
				   "pair":{"type":"array","prefixItems":[{"type":"string"},{"type":"number"}],"items":false},
				   "mode":{"enum":["merge","replace"],"default":"merge"},
				   "nested":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
				             "properties":{"flag":{"type":"boolean"}}}
				 },
				 "required":["ids"]}""", "{\"ids\":[\"T-1\"],\"pair\":[\"a\",1],\"$schema\":\"csv\"}",
				"{\"ids\":[\"X\"]}"));
		// unicode everywhere, anyOf/oneOf/not/if-then-else
		cases.add(tool(TICKETS, "Tickets ünïcödé", "チケット検索", null, "Recherche de tickets ✓", """
				{"type":"object","properties":{
				   "q":{"anyOf":[{"type":"string"},{"type":"null"}]},
				   "limit":{"oneOf":[{"type":"integer","maximum":10},{"const":"all"}]},
				   "sort":{"not":{"const":"random"}},
				   "kind":{"type":"string"},
				   "ref":{"type":"string"}
				 },
				 "if":{"required":["kind"],"properties":{"kind":{"const":"link"}}},"then":{"required":["ref"]}}""",
				"{\"q\":null,\"limit\":5,\"sort\":\"date\"}", "{\"kind\":\"link\"}"));
		return cases;
	}

	/** The same JSON, key order aside. */
	static void assertJson(Map<String, Object> actual, String expected) {
		assertThat((Object) json.valueToTree(actual)).isEqualTo(json.readTree(expected));
	}

	static ToolNameMapper mapper(List<Case> cases) {
		return ToolNameMapper.of(cases.stream().map(Case::descriptor).toList());
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> schemaOf(Map<String, Object> openAiTool) {
		return (Map<String, Object>) ((Map<String, Object>) openAiTool.get("function")).get("parameters");
	}

	@Test
	void exportedSchemasAreValid202012Schemas() {
		List<Case> cases = cases();
		ToolNameMapper names = mapper(cases);
		List<Map<String, Object>> openAi = ToolSchemas.openAi(names);
		List<Map<String, Object>> anthropic = ToolSchemas.anthropic(names);
		assertThat(openAi).hasSize(cases.size());
		assertThat(anthropic).hasSize(cases.size());
		for (int i = 0; i < cases.size(); i++) {
			Case c = cases.get(i);
			for (Map<String, Object> schema : List.of(schemaOf(openAi.get(i)),
					(Map<String, Object>) anthropic.get(i).get("input_schema"))) {
				String label = c.descriptor().name();
				JsonNode node = json.valueToTree(schema);
				// the document is a 2020-12 schema according to the 2020-12 meta-schema
				assertThat(metaSchema.validate(node)).as("meta-schema errors for %s: %s", label, node).isEmpty();
				assertThat(node.path("type").asString()).isEqualTo("object");
				assertThat(node.path("properties").isObject()).isTrue();
				if (node.has("$schema")) {
					assertThat(node.get("$schema").asString()).isEqualTo(ToolSchemas.DRAFT_2020_12);
				}
				// compiled as 2020-12, it accepts the sample arguments and rejects the bad ones
				Schema compiled = registry.getSchema(node);
				List<Error> valid = compiled.validate(json.readTree(c.valid()));
				assertThat(valid).as("%s rejects %s", label, c.valid()).isEmpty();
				List<Error> invalid = compiled.validate(json.readTree(c.invalid()));
				assertThat(invalid).as("%s accepts %s", label, c.invalid()).isNotEmpty();
			}
		}
	}

	@Test
	void theMetaSchemaCheckHasTeeth() {
		// the raw draft-04 schema is not a valid 2020-12 schema; normalized it is
		Map<String, Object> raw = parse("""
				{"type":"object","properties":{"n":{"type":"integer","minimum":0,"exclusiveMinimum":true},
				 "t":{"type":"array","items":[{"type":"string"}]}}}""");
		assertThat(metaSchema.validate(json.valueToTree(raw))).isNotEmpty();
		assertThat(metaSchema.validate(json.valueToTree(ToolSchemas.normalize(raw)))).isEmpty();
		assertThat(metaSchema.validate(json.readTree("{\"type\":\"objekt\"}"))).isNotEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void normalizationKeepsWhatItCanAndDoesNotTouchTheInput() {
		Map<String, Object> raw = parse("""
				{"$schema":"http://json-schema.org/draft-07/schema#","title":"T","x-vendor":{"a":[1,2]},
				 "properties":{"$schema":{"type":"string"},"n":{"type":"number","minimum":1,"exclusiveMinimum":true}},
				 "required":["n"],"additionalProperties":false}""");
		String before = json.writeValueAsString(raw);
		Map<String, Object> normalized = ToolSchemas.normalize(raw);
		assertThat(json.writeValueAsString(raw)).isEqualTo(before);
		// a draft-07 schema comes out written in 2020-12, and says so
		assertThat(normalized).containsEntry("$schema", ToolSchemas.DRAFT_2020_12)
			.containsEntry("type", "object")
			.containsEntry("title", "T")
			.containsEntry("required", List.of("n"))
			.containsEntry("additionalProperties", false)
			.containsEntry("x-vendor", Map.of("a", List.of(1, 2)));
		Map<String, Object> properties = (Map<String, Object>) normalized.get("properties");
		assertThat(properties).containsEntry("$schema", Map.of("type", "string"));
		assertThat(properties.get("n")).isEqualTo(Map.of("type", "number", "exclusiveMinimum", 1));
		// the result is a copy: changing it leaves the tool alone
		((Map<String, Object>) normalized.get("x-vendor")).put("b", 1);
		assertThat(json.writeValueAsString(raw)).isEqualTo(before);
		// a 2020-12 $schema stays
		assertThat(ToolSchemas.normalize(Map.of("$schema", ToolSchemas.DRAFT_2020_12)))
			.containsEntry("$schema", ToolSchemas.DRAFT_2020_12);
		assertThat(ToolSchemas.normalize(null)).isEqualTo(Map.of("type", "object", "properties", Map.of()));
	}

	@Test
	@SuppressWarnings("unchecked")
	void openAiShape() {
		List<Case> cases = cases();
		ToolNameMapper names = mapper(cases);
		List<Map<String, Object>> tools = ToolSchemas.openAi(names);
		for (int i = 0; i < cases.size(); i++) {
			McpToolDescriptor descriptor = cases.get(i).descriptor();
			Map<String, Object> tool = tools.get(i);
			assertThat(tool).containsOnlyKeys("type", "function").containsEntry("type", "function");
			assertThat(tool.get("function")).isInstanceOf(Map.class);
			Map<String, Object> function = (Map<String, Object>) tool.get("function");
			assertThat(function).containsOnlyKeys("name", "description", "parameters");
			assertThat((String) function.get("name")).matches("^[a-zA-Z0-9_-]{1,64}$");
			assertThat(names.resolve((String) function.get("name"))).isSameAs(descriptor);
			assertThat((String) function.get("description")).startsWith("[" + descriptor.connectionName() + "] ");
			assertThat(function.get("parameters")).isInstanceOf(Map.class);
			assertThat((Map<String, Object>) function.get("parameters")).containsEntry("type", "object")
				.containsKey("properties");
		}
		// it serializes to the JSON the API expects
		JsonNode first = json.valueToTree(tools.get(0));
		assertThat(first.toString()).isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"Files__read_file\","
				+ "\"description\":\"[Files] Read a file\",\"parameters\":{\"type\":\"object\",\"properties\":"
				+ "{\"path\":{\"type\":\"string\",\"minLength\":1}},\"required\":[\"path\"],"
				+ "\"additionalProperties\":false,\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"}}}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void anthropicShape() {
		List<Case> cases = cases();
		ToolNameMapper names = mapper(cases);
		List<Map<String, Object>> tools = ToolSchemas.anthropic(names);
		for (int i = 0; i < cases.size(); i++) {
			McpToolDescriptor descriptor = cases.get(i).descriptor();
			Map<String, Object> tool = tools.get(i);
			assertThat(tool).containsOnlyKeys("name", "description", "input_schema");
			assertThat((String) tool.get("name")).matches("^[a-zA-Z0-9_-]{1,64}$");
			assertThat(names.resolve((String) tool.get("name"))).isSameAs(descriptor);
			assertThat((String) tool.get("description")).startsWith("[" + descriptor.connectionName() + "] ");
			assertThat((Map<String, Object>) tool.get("input_schema")).containsEntry("type", "object")
				.containsKey("properties");
		}
		assertThat(json.valueToTree(tools.get(1)).toString())
			.isEqualTo("{\"name\":\"Files__ping\",\"description\":\"[Files] Ping the server\","
					+ "\"input_schema\":{\"type\":\"object\",\"properties\":{}}}");
	}

	@Test
	@SuppressWarnings("unchecked")
	void conformanceFixtureGoesToBothProvidersWholeAndItsNetworkRefIsNeverFetched() {
		try (TestSchemaFixture fixture = TestSchemaFixture.start()) {
			McpSchema.Tool tool = fixture.tool();
			String before = json.writeValueAsString(tool.inputSchema());
			ToolNameMapper names = ToolNameMapper
				.of(List.of(new McpToolDescriptor(FILES, "Suite", "Suite__" + tool.name(), tool)));

			fixture.assertWholeAndNotFetched(ToolSchemas.inputSchema(tool));
			fixture.assertWholeAndNotFetched(schemaOf(ToolSchemas.openAi(names).get(0)));
			fixture.assertWholeAndNotFetched(ToolSchemas.anthropic(names).get(0).get("input_schema"));
			// it is a 2020-12 schema by the meta-schema (which does not resolve the document's refs)
			assertThat(metaSchema.validate(json.valueToTree(ToolSchemas.inputSchema(tool)))).isEmpty();
			assertThat(json.writeValueAsString(tool.inputSchema())).isEqualTo(before);
			fixture.assertNotFetched();
		}
	}

	@Test
	void schemaDeclaring202012OrAnUnknownDialectIsNeverRewritten() {
		// forms 2020-12 rejects, in a schema that says it is 2020-12: the author's to see, not ours to reinterpret
		String declared = """
				{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{
				 "n":{"type":"number","minimum":1,"exclusiveMinimum":true},
				 "t":{"type":"array","items":[{"type":"string"}],"additionalItems":false}}}""";
		assertJson(ToolSchemas.normalize(parse(declared)), declared);
		String custom = """
				{"$schema":"https://spec.openapis.org/oas/3.1/dialect/base","type":"object",
				 "properties":{"t":{"type":"array","items":[{"type":"string"}]}},"discriminator":{"propertyName":"t"}}""";
		assertJson(ToolSchemas.normalize(parse(custom)), custom);
	}

	@Test
	void schemaWithoutSchemaKeywordOrBefore202012IsTranslated() {
		// no $schema: MCP's default, 2020-12; older forms are rewritten and no $schema is added
		assertJson(ToolSchemas.normalize(parse("""
				{"type":"object","properties":{"t":{"type":"array","items":[{"type":"string"}],"additionalItems":false}}}""")), """
					{"type":"object","properties":{"t":{"type":"array","prefixItems":[{"type":"string"}],"items":false}}}""");
		// 2019-09 tuples, and a subschema that declares 2020-12 itself stays as it is
		assertJson(ToolSchemas.normalize(parse("""
				{"$schema":"https://json-schema.org/draft/2019-09/schema","type":"object","properties":{
				 "t":{"type":"array","items":[{"type":"integer"}]},
				 "u":{"$schema":"https://json-schema.org/draft/2020-12/schema","items":[{"type":"integer"}]}}}""")), """
					{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{
					 "t":{"type":"array","prefixItems":[{"type":"integer"}]},
					 "u":{"$schema":"https://json-schema.org/draft/2020-12/schema","items":[{"type":"integer"}]}}}""");
	}

	@Test
	void typeAndPropertiesAreAddedOnlyWhenAbsent() {
		String nullable = """
				{"$schema":"https://json-schema.org/draft/2020-12/schema","type":["object","null"],"properties":{"a":true}}""";
		assertJson(ToolSchemas.normalize(parse(nullable)), nullable);
		// a root that is a local $ref: the reference stays, never resolved
		assertJson(ToolSchemas.normalize(parse("""
				{"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"#/$defs/args",
				 "$defs":{"args":{"type":"object","properties":{"q":{"type":"string"}}}}}""")), """
					{"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"#/$defs/args",
					 "$defs":{"args":{"type":"object","properties":{"q":{"type":"string"}}}},
					 "type":"object","properties":{}}""");
	}

	@Test
	void descriptionsFallBackToTitleThenName() {
		List<Case> cases = cases();
		assertThat(ToolSchemas.description(cases.get(0).descriptor())).isEqualTo("[Files] Read a file");
		assertThat(ToolSchemas.description(cases.get(1).descriptor())).isEqualTo("[Files] Ping the server");
		assertThat(ToolSchemas.description(cases.get(2).descriptor())).isEqualTo("[Files] noop");
		assertThat(ToolSchemas.description(cases.get(5).descriptor())).isEqualTo("[Tickets] Import tickets");
		assertThat(ToolSchemas.description(cases.get(6).descriptor()))
			.isEqualTo("[Tickets ünïcödé] Recherche de tickets ✓");
		McpSchema.Tool bare = new McpSchema.Tool("bare", null, null, Map.of(), null, null, null);
		assertThat(ToolSchemas.description(new McpToolDescriptor(FILES, null, "x__bare", bare))).isEqualTo("bare");
	}

}
