package dev.mcpconnector.execution;

import java.time.Clock;
import java.time.Duration;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.policy.ToolPolicy;

import org.springframework.core.Ordered;

/**
 * One step of the governance around every tool call of the {@link McpToolExecutor}. The
 * executor runs every interceptor's {@link #before} in order ({@link Ordered} or
 * {@code @Order}, lowest first), then the call, then every interceptor's {@link #after} in the
 * same order. {@link #before} may refuse a call by throwing a
 * {@link dev.mcpconnector.McpConnectorException}; {@link #after} sees every call's outcome,
 * refused ones included. Neither may do slow synchronous I/O on the warm path unless the
 * feature it implements needs it (distributed rate limits and approvals do).
 * <p>
 * The defaults, each a bean a user may replace by defining one of the same name: metrics
 * ({@code HIGHEST_PRECEDENCE}), the tool {@linkplain #policy(ToolPolicy) policy}
 * ({@link #POLICY_ORDER}), rate limits ({@code HIGHEST_PRECEDENCE + 1000}),
 * {@linkplain #approval(ApprovalService) approvals} ({@link #APPROVAL_ORDER}) and the
 * {@linkplain #audit(AuditLog, Clock) audit} ({@link #AUDIT_ORDER}). A user's own interceptor
 * without an order runs last.
 */
public interface ToolCallInterceptor {

	/** Order of the policy interceptor: after metrics, before rate limits. */
	int POLICY_ORDER = Ordered.HIGHEST_PRECEDENCE + 500;

	/** Order of the approval interceptor: after rate limits, so a refused call never waits. */
	int APPROVAL_ORDER = Ordered.HIGHEST_PRECEDENCE + 2000;

	/** Order of the audit interceptor: its {@link #after} sees what every other one did. */
	int AUDIT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	/**
	 * Before the call.
	 * @param call the call
	 */
	default void before(ToolCallContext call) {
	}

	/**
	 * After the call, whatever happened.
	 * @param call the call
	 * @param outcome how it ended
	 */
	default void after(ToolCallContext call, Outcome outcome) {
	}

	/**
	 * Whether a tool is offered when the owner lists tools (a policy that denies a tool hides
	 * it). The default says yes.
	 * @param tool the tool, as a call without arguments
	 * @return whether to list it
	 */
	default boolean allowsListing(ToolCallContext tool) {
		return true;
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

	/**
	 * The interceptor that asks a policy: a denied tool is refused and not listed, a tool that
	 * needs approval is marked for the approval interceptor.
	 * @param policy the policy
	 * @return the interceptor, ordered {@link #POLICY_ORDER}
	 */
	static ToolCallInterceptor policy(ToolPolicy policy) {
		return new PolicyInterceptor(policy);
	}

	/**
	 * The interceptor that holds a call the policy sent to approval until a human approves it
	 * (bound to its arguments).
	 * @param approvals the approval service
	 * @return the interceptor, ordered {@link #APPROVAL_ORDER}
	 */
	static ToolCallInterceptor approval(ApprovalService approvals) {
		return new ApprovalInterceptor(approvals);
	}

	/**
	 * The interceptor that writes one audit event per call.
	 * @param audit the audit log
	 * @param clock the clock of the events' timestamps
	 * @return the interceptor, ordered {@link #AUDIT_ORDER}
	 */
	static ToolCallInterceptor audit(AuditLog audit, Clock clock) {
		return new AuditInterceptor(audit, clock);
	}

	/**
	 * How a tool call ended.
	 *
	 * @param outcome {@code ok}, {@code tool-error} (the tool answered {@code isError}),
	 * {@code denied} (policy), {@code approval-pending}, {@code approval-denied},
	 * {@code rate-limited}, or {@code failed}
	 * @param decision the policy decision: {@code allow}, {@code deny} or {@code approval}
	 * @param errorCode the error code when it failed or was refused, else {@code null}
	 * @param latency how long it took
	 */
	record Outcome(String outcome, String decision, String errorCode, Duration latency) {

		/**
		 * Whether the call reached a result (the tool may still have answered {@code isError}).
		 * @return whether the outcome is {@code ok} or {@code tool-error}
		 */
		public boolean isSuccess() {
			return "ok".equals(this.outcome) || "tool-error".equals(this.outcome);
		}

	}

}
