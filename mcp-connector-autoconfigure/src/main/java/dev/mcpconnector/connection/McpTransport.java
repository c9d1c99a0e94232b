package dev.mcpconnector.connection;

/**
 * How a connection talks to its MCP server.
 */
public enum McpTransport {

	/** Streamable HTTP (MCP 2025-03-26 and later): one endpoint for POST and GET. */
	STREAMABLE_HTTP,

	/**
	 * The HTTP+SSE transport of MCP 2024-11-05: a GET opens an event stream whose
	 * {@code endpoint} event names where to POST. Chosen automatically for servers that answer
	 * the Streamable HTTP {@code initialize} with 400, 404 or 405 and open an event stream on GET.
	 */
	SSE

}
