package dev.mcpconnector.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.modern.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.modern.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.modern.McpSchema.ListPromptsResult;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A 2026-07-28 peer on the SDK's modern client: every operation is one stateless request with
 * the {@code _meta}, {@code Mcp-Method} and {@code Mcp-Name} headers the SDK adds. The tool
 * definitions listed once stay here, so a call hands the SDK the definition (for its
 * {@code x-mcp-header} mirroring) instead of letting it list the tools first: a warm call is one
 * POST. No capability pre-check: a method the server lacks answers -32601 ({@code upstream-error}).
 */
final class ModernPeer implements McpPeer {

	private static final int MAX_PAGES = 100;

	private final McpSyncClient client;

	private volatile Map<String, io.modelcontextprotocol.modern.McpSchema.Tool> definitions;

	private volatile boolean started;

	ModernPeer(McpSyncClient client) {
		this.client = client;
	}

	McpSyncClient client() {
		return this.client;
	}

	/** Mark the peer as having spoken to the server (the revision probe's discover did). */
	ModernPeer markStarted() {
		this.started = true;
		return this;
	}

	@Override
	public List<McpSchema.Tool> listTools() {
		List<io.modelcontextprotocol.modern.McpSchema.Tool> listed = this.client.listTools().list().tools();
		this.started = true;
		Map<String, io.modelcontextprotocol.modern.McpSchema.Tool> byName = new LinkedHashMap<>();
		listed.forEach((tool) -> byName.put(tool.name(), tool));
		this.definitions = Map.copyOf(byName);
		return ModernSchemas.tools(listed);
	}

	@Override
	public McpSchema.CallToolResult callTool(String name, Map<String, Object> arguments) {
		io.modelcontextprotocol.modern.McpSchema.Tool definition = definitions().get(name);
		McpSyncClient.ToolSpec spec = (definition != null) ? this.client.tool(definition) : this.client.tool(name);
		McpSchema.CallToolResult result = ModernSchemas.callToolResult(spec.arguments(arguments).call());
		this.started = true;
		return result;
	}

	/**
	 * The definitions, listed once per session (concurrent first calls wait for one listing
	 * instead of each letting the SDK list).
	 */
	private Map<String, io.modelcontextprotocol.modern.McpSchema.Tool> definitions() {
		Map<String, io.modelcontextprotocol.modern.McpSchema.Tool> current = this.definitions;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.definitions == null) {
				listTools();
			}
			return this.definitions;
		}
	}

	@Override
	public List<McpSchema.Resource> listResources() {
		return ModernSchemas.resources(pages((cursor) -> {
			ListResourcesResult page = this.client.resources().cursor(cursor).list();
			return new Page<>(page.resources(), page.nextCursor());
		}));
	}

	@Override
	public List<McpSchema.ResourceTemplate> listResourceTemplates() {
		return ModernSchemas.resourceTemplates(pages((cursor) -> {
			ListResourceTemplatesResult page = this.client.resourceTemplates().cursor(cursor).list();
			return new Page<>(page.resourceTemplates(), page.nextCursor());
		}));
	}

	@Override
	public McpSchema.ReadResourceResult readResource(String uri) {
		return ModernSchemas.readResourceResult(this.client.resource(uri).read());
	}

	@Override
	public List<McpSchema.Prompt> listPrompts() {
		return ModernSchemas.prompts(pages((cursor) -> {
			ListPromptsResult page = this.client.prompts().cursor(cursor).list();
			return new Page<>(page.prompts(), page.nextCursor());
		}));
	}

	@Override
	public McpSchema.GetPromptResult getPrompt(String name, Map<String, Object> arguments) {
		Map<String, String> strings = new LinkedHashMap<>();
		arguments.forEach((key, value) -> strings.put(key, (value != null) ? value.toString() : null));
		return ModernSchemas.getPromptResult(this.client.prompt(name).arguments(strings).get());
	}

	@Override
	public void check() {
		this.client.discover();
		this.started = true;
	}

	@Override
	public boolean started() {
		return this.started;
	}

	@Override
	public boolean modern() {
		return true;
	}

	@Override
	public void close() {
		// Stateless: no session to end, no stream to close.
	}

	private static <T> List<T> pages(Function<String, Page<T>> list) {
		List<T> all = new ArrayList<>();
		String cursor = null;
		for (int i = 0; i < MAX_PAGES; i++) {
			Page<T> page = list.apply(cursor);
			if (page.items() != null) {
				all.addAll(page.items());
			}
			cursor = page.next();
			if (cursor == null || cursor.isEmpty()) {
				break;
			}
		}
		return all;
	}

	private record Page<T>(List<T> items, String next) {
	}

}
