package dev.mcpconnector.policy;

/**
 * Decides whether a user may use a tool of one of their connections: allowed, denied (neither
 * listed nor callable), or allowed only after a human approves each call. Replace the bean to
 * decide from the application's own roles; the default reads rules from properties.
 */
@FunctionalInterface
public interface ToolPolicy {

	/**
	 * Decide.
	 * @param request the tool and who wants it
	 * @return the decision, never {@code null}
	 */
	ToolDecision decide(ToolPolicyRequest request);

	/**
	 * Whether {@link #decide} reads the tool's definition ({@link ToolPolicyRequest#tool()}, its
	 * annotations). When neither the policy nor an interceptor needs it, the first call of a
	 * session skips listing the server's tools (one round trip). The default says yes.
	 * @return whether the definition is needed
	 */
	default boolean needsToolDefinition() {
		return true;
	}

}
