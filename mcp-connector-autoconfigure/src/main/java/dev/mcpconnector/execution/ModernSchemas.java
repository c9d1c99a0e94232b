package dev.mcpconnector.execution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Turns the results of the SDK's 2026-07-28 client ({@code io.modelcontextprotocol.modern.McpSchema})
 * into the {@code spec.McpSchema} types the public API returns, through JSON: the shapes are the
 * same on the wire, and the older records ignore what only 2026-07-28 has ({@code resultType},
 * {@code ttlMs}, {@code cacheScope}), so nothing a caller reads is lost. An {@code input_required}
 * elicitation goes the other way: the SDK's request to the {@code spec.McpSchema} handler of
 * {@link McpClientSettings}, its answer back.
 */
final class ModernSchemas {

	private static final McpJsonMapper json = McpJsonDefaults.getMapper();

	private ModernSchemas() {
	}

	static List<McpSchema.Tool> tools(List<io.modelcontextprotocol.modern.McpSchema.Tool> tools) {
		return json.convertValue(tools, new TypeRef<List<McpSchema.Tool>>() {
		});
	}

	static McpSchema.CallToolResult callToolResult(io.modelcontextprotocol.modern.McpSchema.CallToolResult result) {
		return json.convertValue(result, McpSchema.CallToolResult.class);
	}

	static List<McpSchema.Resource> resources(List<io.modelcontextprotocol.modern.McpSchema.Resource> resources) {
		return json.convertValue(resources, new TypeRef<List<McpSchema.Resource>>() {
		});
	}

	static List<McpSchema.ResourceTemplate> resourceTemplates(
			List<io.modelcontextprotocol.modern.McpSchema.ResourceTemplate> templates) {
		return json.convertValue(templates, new TypeRef<List<McpSchema.ResourceTemplate>>() {
		});
	}

	static McpSchema.ReadResourceResult readResourceResult(
			io.modelcontextprotocol.modern.McpSchema.ReadResourceResult result) {
		return json.convertValue(result, McpSchema.ReadResourceResult.class);
	}

	static List<McpSchema.Prompt> prompts(List<io.modelcontextprotocol.modern.McpSchema.Prompt> prompts) {
		return json.convertValue(prompts, new TypeRef<List<McpSchema.Prompt>>() {
		});
	}

	static McpSchema.GetPromptResult getPromptResult(io.modelcontextprotocol.modern.McpSchema.GetPromptResult result) {
		return json.convertValue(result, McpSchema.GetPromptResult.class);
	}

	/**
	 * A form elicitation of an {@code input_required} result, as the handler of the older
	 * revisions takes it.
	 * @param request the SDK's request
	 * @return the same message, schema and {@code _meta}
	 */
	static McpSchema.ElicitFormRequest elicitFormRequest(
			io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest request) {
		return new McpSchema.ElicitFormRequest(request.message(), request.requestedSchema(), request.meta());
	}

	/**
	 * The handler's answer for the SDK: the same action, an accepted content completed with the
	 * schema's defaults (what the older revisions' client does with {@code applyElicitationDefaults});
	 * the answer's {@code _meta} has no place in a 2026-07-28 input response.
	 * @param result the handler's answer
	 * @param requestedSchema the schema the server asked with
	 * @return the SDK's result
	 */
	static io.modelcontextprotocol.modern.McpSchema.ElicitResult elicitResult(McpSchema.ElicitResult result,
			Map<String, Object> requestedSchema) {
		if (result == null) {
			throw new IllegalStateException("The elicitation handler returned no result");
		}
		io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action action = io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action
			.valueOf(result.action().name());
		Map<String, Object> content = result.content();
		if (action == io.modelcontextprotocol.modern.McpSchema.ElicitResult.Action.ACCEPT && content != null
				&& requestedSchema != null && requestedSchema.get("properties") instanceof Map<?, ?> properties) {
			Map<String, Object> completed = new LinkedHashMap<>(content);
			properties.forEach((name, property) -> {
				if (property instanceof Map<?, ?> definition && definition.containsKey("default")
						&& !completed.containsKey(String.valueOf(name))) {
					completed.put(String.valueOf(name), definition.get("default"));
				}
			});
			content = completed;
		}
		return new io.modelcontextprotocol.modern.McpSchema.ElicitResult(action, content);
	}

}
