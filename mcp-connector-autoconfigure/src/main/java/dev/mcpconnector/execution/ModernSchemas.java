package dev.mcpconnector.execution;

import java.util.List;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Turns the results of the SDK's 2026-07-28 client ({@code io.modelcontextprotocol.modern.McpSchema})
 * into the {@code spec.McpSchema} types the public API returns, through JSON: the shapes are the
 * same on the wire, and the older records ignore what only 2026-07-28 has ({@code resultType},
 * {@code ttlMs}, {@code cacheScope}), so nothing a caller reads is lost.
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

}
