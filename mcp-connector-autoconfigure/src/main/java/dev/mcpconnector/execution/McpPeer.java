package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The server side of a session, in the revision it speaks: {@link LegacyPeer} initializes a
 * session (2025-11-25 and earlier), {@link ModernPeer} sends stateless 2026-07-28 requests. Both
 * answer in the {@code spec.McpSchema} types of the public API.
 */
interface McpPeer {

	/** Every page of the server's tools. */
	List<McpSchema.Tool> listTools();

	/**
	 * Call a tool.
	 * @param name the tool
	 * @param arguments its arguments
	 * @return the result
	 */
	McpSchema.CallToolResult callTool(String name, Map<String, Object> arguments);

	List<McpSchema.Resource> listResources();

	List<McpSchema.ResourceTemplate> listResourceTemplates();

	McpSchema.ReadResourceResult readResource(String uri);

	List<McpSchema.Prompt> listPrompts();

	McpSchema.GetPromptResult getPrompt(String name, Map<String, Object> arguments);

	/** Ask the server whether it is there (legacy {@code ping}, modern {@code server/discover}). */
	void check();

	/** Whether the peer has spoken to the server yet (a legacy session is initialized). */
	boolean started();

	/** Whether this peer speaks 2026-07-28 (stateless, nothing to replay). */
	boolean modern();

	void close();

}
