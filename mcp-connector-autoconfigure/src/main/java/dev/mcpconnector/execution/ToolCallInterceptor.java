package dev.mcpconnector.execution;

/**
 * Governance around every tool call of the {@link McpToolExecutor}: rate limits, metrics,
 * usage. {@link #before} may refuse a call by throwing a
 * {@link dev.mcpconnector.McpConnectorException}; {@link #after} sees every call's outcome,
 * refused ones included. Neither may do slow synchronous I/O on the warm path unless the
 * feature it implements needs it (distributed rate limits do).
 */
public interface ToolCallInterceptor {

	/**
	 * Before the call, after the policy allowed it.
	 * @param call the call
	 */
	default void before(ToolCallContext call) {
	}

	/**
	 * After the call, whatever happened.
	 * @param call the call
	 * @param outcome how it ended
	 */
	default void after(ToolCallContext call, ToolCallOutcome outcome) {
	}

	/**
	 * Whether this interceptor reads {@link ToolCallContext#tool()}, the tool's definition. When
	 * nothing needs it, the first call of a session skips listing the server's tools and the
	 * context carries the definition only if the session listed them already. The default says
	 * yes.
	 * @return whether the definition is needed
	 */
	default boolean needsToolDefinition() {
		return true;
	}

}
