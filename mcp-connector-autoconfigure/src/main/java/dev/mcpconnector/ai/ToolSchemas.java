package dev.mcpconnector.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mcpconnector.execution.McpToolDescriptor;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A user's tools as LLM provider tool definitions: the OpenAI Chat Completions {@code tools}
 * format and the Anthropic Messages {@code tools} format. Names come from a
 * {@link ToolNameMapper}, so a tool call's name goes back through
 * {@link ToolNameMapper#resolve(String)} to the connection and tool.
 * <p>
 * Input schemas are kept whole: {@code $schema}, {@code $id}, {@code $defs}, {@code $ref}
 * (never dereferenced, never fetched), {@code $anchor}, {@code additionalProperties},
 * {@code allOf}/{@code anyOf}/{@code oneOf}, {@code if}/{@code then}/{@code else} and every
 * other keyword stay as the server wrote them. The root gets {@code "type": "object"} and
 * {@code "properties": {}} only when it has none (providers require both).
 * <p>
 * One translation, only for a schema that declares no {@code $schema} (MCP's default dialect
 * is 2020-12, SEP-1613) or a dialect before 2020-12 (draft-03 to 2019-09): the two older forms
 * that 2020-12 rejects are rewritten to their 2020-12 equivalents (an array {@code items} to
 * {@code prefixItems}, {@code additionalItems} to {@code items}; a boolean
 * {@code exclusiveMinimum}/{@code exclusiveMaximum} to the number form), and such a schema's
 * {@code $schema} names 2020-12, the dialect the result is written in. Provider APIs validate
 * every tool schema of a request as 2020-12 and fail the whole request for one that is not. A
 * schema that declares 2020-12, or a dialect this class does not know, is never rewritten.
 */
public final class ToolSchemas {

	/** The 2020-12 meta-schema IRI. */
	public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

	/** Keywords whose value maps names to schemas (not schema keywords themselves). */
	private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
			"dependentSchemas");

	/** Keywords whose value is an array of schemas. */
	private static final Set<String> SCHEMA_ARRAYS = Set.of("allOf", "anyOf", "oneOf", "prefixItems", "items");

	/** Keywords whose value is one schema. */
	private static final Set<String> SCHEMAS = Set.of("additionalProperties", "unevaluatedProperties", "items",
			"additionalItems", "unevaluatedItems", "contains", "propertyNames", "not", "if", "then", "else");

	/** The meta-schema IRIs of the dialects before 2020-12. */
	private static final Pattern BEFORE_2020_12 = Pattern
		.compile("^https?://json-schema\\.org/(draft-0[3467]|draft/2019-09)/schema#?$");

	private ToolSchemas() {
	}

	/**
	 * The tools in the OpenAI format:
	 * {@code {"type": "function", "function": {"name", "description", "parameters"}}}.
	 * @param names the tools and their names
	 * @return one definition per tool, in the order of {@link ToolNameMapper#descriptors()}
	 */
	public static List<Map<String, Object>> openAi(ToolNameMapper names) {
		Assert.notNull(names, "names cannot be null");
		List<Map<String, Object>> tools = new ArrayList<>();
		for (McpToolDescriptor descriptor : names.descriptors()) {
			Map<String, Object> function = new LinkedHashMap<>();
			function.put("name", names.nameOf(descriptor));
			function.put("description", description(descriptor));
			function.put("parameters", inputSchema(descriptor.tool()));
			Map<String, Object> tool = new LinkedHashMap<>();
			tool.put("type", "function");
			tool.put("function", function);
			tools.add(tool);
		}
		return List.copyOf(tools);
	}

	/**
	 * The tools in the Anthropic format: {@code {"name", "description", "input_schema"}}.
	 * @param names the tools and their names
	 * @return one definition per tool, in the order of {@link ToolNameMapper#descriptors()}
	 */
	public static List<Map<String, Object>> anthropic(ToolNameMapper names) {
		Assert.notNull(names, "names cannot be null");
		List<Map<String, Object>> tools = new ArrayList<>();
		for (McpToolDescriptor descriptor : names.descriptors()) {
			Map<String, Object> tool = new LinkedHashMap<>();
			tool.put("name", names.nameOf(descriptor));
			tool.put("description", description(descriptor));
			tool.put("input_schema", inputSchema(descriptor.tool()));
			tools.add(tool);
		}
		return List.copyOf(tools);
	}

	/**
	 * What the model is told about a tool: the connection it comes from, then the tool's
	 * description, or else its title, or else its name.
	 * @param descriptor the tool
	 * @return the description
	 */
	public static String description(McpToolDescriptor descriptor) {
		McpSchema.Tool tool = descriptor.tool();
		String text = StringUtils.hasText(tool.description()) ? tool.description().strip()
				: StringUtils.hasText(tool.title()) ? tool.title().strip() : tool.name();
		String connection = StringUtils.hasText(descriptor.connectionName()) ? descriptor.connectionName().strip()
				: null;
		return (connection != null) ? "[" + connection + "] " + text : text;
	}

	/**
	 * A tool's input schema, normalized (see the class description).
	 * @param tool the tool
	 * @return a new, mutable schema map
	 */
	public static Map<String, Object> inputSchema(McpSchema.Tool tool) {
		return normalize(tool.inputSchema());
	}

	/**
	 * Normalizes an input schema (see the class description). The argument is not changed.
	 * @param schema the schema, may be {@code null}
	 * @return a new, mutable schema map
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> normalize(Map<String, Object> schema) {
		Map<String, Object> root;
		if (schema == null) {
			root = new LinkedHashMap<>();
		}
		else if (!schema.containsKey("$schema") || isBefore202012(schema.get("$schema"))) {
			root = normalizeSchema(schema);
		}
		else {
			root = (Map<String, Object>) copy(schema);
		}
		if (!root.containsKey("type")) {
			root.put("type", "object");
		}
		if (!root.containsKey("properties")) {
			root.put("properties", new LinkedHashMap<>());
		}
		return root;
	}

	/** A schema of a dialect before 2020-12, rewritten where 2020-12 rejects its forms. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> normalizeSchema(Map<?, ?> schema) {
		Map<String, Object> result = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : schema.entrySet()) {
			String key = String.valueOf(entry.getKey());
			Object value = entry.getValue();
			if ("$schema".equals(key)) {
				result.put(key, isBefore202012(value) ? DRAFT_2020_12 : value);
			}
			else if (SCHEMA_MAPS.contains(key) && value instanceof Map<?, ?> map) {
				Map<String, Object> schemas = new LinkedHashMap<>();
				map.forEach((name, sub) -> schemas.put(String.valueOf(name), normalizeValue(sub)));
				result.put(key, schemas);
			}
			else if ("dependencies".equals(key) && value instanceof Map<?, ?> map) {
				// each value is a schema or an array of property names
				Map<String, Object> dependencies = new LinkedHashMap<>();
				map.forEach((name, sub) -> dependencies.put(String.valueOf(name), normalizeValue(sub)));
				result.put(key, dependencies);
			}
			else if (SCHEMA_ARRAYS.contains(key) && value instanceof List<?> list) {
				List<Object> schemas = new ArrayList<>(list.size());
				list.forEach((sub) -> schemas.add(normalizeValue(sub)));
				result.put(key, schemas);
			}
			else if (SCHEMAS.contains(key) && (value instanceof Map || value instanceof Boolean)) {
				result.put(key, normalizeValue(value));
			}
			else {
				// annotations, enum/const/default/examples values: data, kept verbatim
				result.put(key, copy(value));
			}
		}
		upgradeTupleItems(result);
		upgradeExclusive(result, "exclusiveMinimum", "minimum");
		upgradeExclusive(result, "exclusiveMaximum", "maximum");
		return result;
	}

	/** A subschema; one that declares 2020-12 or an unknown dialect itself is copied as it is. */
	private static Object normalizeValue(Object value) {
		if (value instanceof Map<?, ?> map && (!map.containsKey("$schema") || isBefore202012(map.get("$schema")))) {
			return normalizeSchema(map);
		}
		return copy(value);
	}

	/** Draft-04..2019-09 {@code "items": [...]} is 2020-12 {@code prefixItems}. */
	private static void upgradeTupleItems(Map<String, Object> schema) {
		if (schema.get("items") instanceof List<?> tuple && !schema.containsKey("prefixItems")) {
			schema.remove("items");
			schema.put("prefixItems", tuple);
			Object additional = schema.remove("additionalItems");
			if (additional instanceof Map || additional instanceof Boolean) {
				schema.put("items", additional);
			}
		}
	}

	/** Draft-04 {@code "exclusiveMinimum": true} goes with {@code minimum}; 2020-12 wants a number. */
	private static void upgradeExclusive(Map<String, Object> schema, String exclusive, String inclusive) {
		if (schema.get(exclusive) instanceof Boolean flag) {
			schema.remove(exclusive);
			if (flag && schema.get(inclusive) instanceof Number bound) {
				schema.remove(inclusive);
				schema.put(exclusive, bound);
			}
		}
	}

	/** draft-03, -04, -06, -07 and 2019-09, over http or https, with or without the empty fragment. */
	private static boolean isBefore202012(Object value) {
		return value instanceof String iri && BEFORE_2020_12.matcher(iri).matches();
	}

	/** A deep copy of JSON data, so callers can't change a tool's schema through the output. */
	private static Object copy(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((v) -> copy.add(copy(v)));
			return copy;
		}
		return value;
	}

}
