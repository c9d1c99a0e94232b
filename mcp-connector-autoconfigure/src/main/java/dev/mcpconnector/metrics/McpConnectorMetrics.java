package dev.mcpconnector.metrics;

import dev.mcpconnector.execution.ToolCallInterceptor;

/**
 * What mcp-connector measures. Free of Micrometer types, so that services can call it whether
 * or not Micrometer is on the class path ({@link #NOOP} when it is not); the Micrometer
 * implementation ({@link McpConnectorMetricsConfiguration}) records to the meter registry. Every tag has a small, fixed set
 * of values: no user, tenant, connection or tool name is ever a tag.
 * <ul>
 * <li>{@value #TOOL_CALLS}: timer of tool calls, tags {@code outcome} and {@code decision};</li>
 * <li>{@value #TOKEN_REFRESHES}: counter of token refreshes, tag {@code outcome}
 * ({@code success}, {@code failure});</li>
 * <li>{@value #AUTHORIZATIONS}: counter of completed authorizations, tag {@code outcome};</li>
 * <li>{@value #APPROVALS}: counter of approval decisions, tag {@code decision};</li>
 * <li>{@value #RATE_LIMITED}: counter of calls refused by a rate limit.</li>
 * </ul>
 */
interface McpConnectorMetrics {

	/** Timer of tool calls. */
	String TOOL_CALLS = "mcp.connector.tool.calls";

	/** Counter of token refreshes. */
	String TOKEN_REFRESHES = "mcp.connector.token.refreshes";

	/** Counter of authorization outcomes. */
	String AUTHORIZATIONS = "mcp.connector.authorizations";

	/** Counter of approval decisions. */
	String APPROVALS = "mcp.connector.approvals";

	/** Counter of calls refused by a rate limit. */
	String RATE_LIMITED = "mcp.connector.rate.limited";

	/** Measures nothing. */
	McpConnectorMetrics NOOP = new McpConnectorMetrics() {
	};

	/**
	 * Records a finished tool call (and, when it was refused by a rate limit,
	 * {@link #rateLimited()}).
	 * @param outcome how it ended
	 */
	default void toolCall(ToolCallInterceptor.Outcome outcome) {
	}

	/**
	 * Records a token refresh.
	 * @param ok whether the refresh succeeded
	 */
	default void refreshed(boolean ok) {
	}

	/**
	 * Records how an authorization ended.
	 * @param outcome a fixed, low-cardinality value such as {@code success}, {@code denied},
	 * {@code failure}, or the authorization server's error code
	 */
	default void authorized(String outcome) {
	}

	/**
	 * Records an approval decision.
	 * @param decision {@code approved}, {@code denied}, {@code expired} or similar
	 */
	default void approvalDecided(String decision) {
	}

	/** Records a call refused by a rate limit. */
	default void rateLimited() {
	}

}
