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

}
