package dev.mcpconnector.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the conformance client sends: the calls a scenario names in {@code MCP_CONFORMANCE_CONTEXT},
 * arguments made up from a tool's input schema, the schema echo of
 * {@code json-schema-2020-12-preservation}, prompt arguments, and elicitation answers.
 */
final class ConformanceArguments {

	/** The tool of {@code json-schema-2020-12-preservation} whose input schema is echoed. */
	static final String SCHEMA_TOOL = "json_schema_2020_12_tool";

	/** The tool that echoes it back to the suite, which compares it with its fixture. */
	static final String ECHO_TOOL = "json_schema_echo";

	private ConformanceArguments() {
	}

	/** A tool call a scenario asks for, with exactly its arguments ({@code null} values included). */
	record ToolCall(String name, Map<String, Object> arguments) {
	}

	/**
	 * The context's {@code toolCalls} ({@code [{"name", "arguments"}]}), in order, or empty when
	 * the scenario names none.
	 * @param context the parsed {@code MCP_CONFORMANCE_CONTEXT}
	 * @return the calls
	 */
	@SuppressWarnings("unchecked")
	static List<ToolCall> toolCalls(JsonNode context) {
		JsonNode calls = (context != null) ? context.get("toolCalls") : null;
		List<ToolCall> result = new ArrayList<>();
		if (calls == null || !calls.isArray()) {
			return result;
		}
		for (JsonNode call : calls) {
			JsonNode arguments = call.get("arguments");
			Map<String, Object> values = (arguments != null && arguments.isObject())
					? JsonMapper.shared().convertValue(arguments, LinkedHashMap.class) : new LinkedHashMap<>();
			result.add(new ToolCall(call.path("name").asString(), values));
		}
		return result;
	}

	/**
	 * The arguments for one of the listed tools: for {@link #ECHO_TOOL} the input schema of
	 * {@link #SCHEMA_TOOL} exactly as the library listed it (so the suite measures the library),
	 * otherwise arguments made up from the tool's schema.
	 * @param tool the tool to call
	 * @param listed every tool the library listed
	 * @return the arguments
	 */
	static Map<String, Object> forTool(McpSchema.Tool tool, List<McpSchema.Tool> listed) {
		Optional<McpSchema.Tool> echoed = listed.stream().filter((t) -> SCHEMA_TOOL.equals(t.name())).findFirst();
		if (ECHO_TOOL.equals(tool.name()) && echoed.isPresent()) {
			Map<String, Object> arguments = new LinkedHashMap<>();
			arguments.put("schema", echoed.get().inputSchema());
			return arguments;
		}
		return example(tool.inputSchema());
	}

	/**
	 * Arguments made up from an input schema: a value of each property's type; numbers count
	 * up from 2 so that {@code add_numbers} gets two different ones.
	 * @param schema the schema
	 * @return the arguments
	 */
	static Map<String, Object> example(Map<String, Object> schema) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		int number = 2;
		for (Map.Entry<String, Map<?, ?>> property : properties(schema).entrySet()) {
			Object value = switch (String.valueOf(property.getValue().get("type"))) {
				case "number", "integer" -> number++;
				case "boolean" -> Boolean.TRUE;
				case "array" -> List.of();
				case "object" -> Map.of();
				default -> "test";
			};
			arguments.put(property.getKey(), value);
		}
		return arguments;
	}

	/**
	 * What a user accepting a form elicitation fills in: each field's {@code default}, else its
	 * first {@code enum} value, else a value of its type ({@code minimum} for numbers).
	 * @param requestedSchema the form's schema
	 * @return the content
	 */
	static Map<String, Object> elicitationContent(Map<String, Object> requestedSchema) {
		Map<String, Object> content = new LinkedHashMap<>();
		for (Map.Entry<String, Map<?, ?>> property : properties(requestedSchema).entrySet()) {
			Map<?, ?> field = property.getValue();
			Object value;
			if (field.containsKey("default")) {
				value = field.get("default");
			}
			else if (field.get("enum") instanceof List<?> values && !values.isEmpty()) {
				value = values.get(0);
			}
			else {
				value = switch (String.valueOf(field.get("type"))) {
					case "number", "integer" -> (field.get("minimum") instanceof Number min) ? min : 1;
					case "boolean" -> Boolean.TRUE;
					case "array" -> List.of();
					default -> "test";
				};
			}
			content.put(property.getKey(), value);
		}
		return content;
	}

	/**
	 * Arguments for a prompt: {@code "test"} for each argument it declares.
	 * @param prompt the prompt
	 * @return the arguments
	 */
	static Map<String, Object> forPrompt(McpSchema.Prompt prompt) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		if (prompt.arguments() != null) {
			prompt.arguments().forEach((argument) -> arguments.put(argument.name(), "test"));
		}
		return arguments;
	}

	private static Map<String, Map<?, ?>> properties(Map<String, Object> schema) {
		Map<String, Map<?, ?>> properties = new LinkedHashMap<>();
		if (schema != null && schema.get("properties") instanceof Map<?, ?> declared) {
			declared.forEach((name, definition) -> {
				if (definition instanceof Map<?, ?> map) {
					properties.put(String.valueOf(name), map);
				}
			});
		}
		return properties;
	}

}
