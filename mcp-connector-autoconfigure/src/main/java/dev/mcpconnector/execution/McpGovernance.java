package dev.mcpconnector.execution;

import java.util.List;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.policy.RuleBasedToolPolicy;
import dev.mcpconnector.policy.ToolPolicy;
import org.springframework.util.Assert;

/**
 * What governs the executor's tool calls: the policy, approvals, the audit log and the
 * interceptors (rate limits, metrics).
 *
 * @param policy decides allow, deny or approval per tool
 * @param approvals handles calls that need approval, or {@code null} when nothing may require
 * one (such calls are then refused)
 * @param audit receives one event per tool call
 * @param interceptors run around every call, in order
 */
public record McpGovernance(ToolPolicy policy, ApprovalService approvals, AuditLog audit,
		List<ToolCallInterceptor> interceptors) {

	public McpGovernance {
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		interceptors = (interceptors != null) ? List.copyOf(interceptors) : List.of();
	}

	/**
	 * Whether the policy or an interceptor reads the tool's definition before a call.
	 * @return whether a call must know the tool's definition
	 */
	public boolean needsToolDefinition() {
		return this.policy.needsToolDefinition()
				|| this.interceptors.stream().anyMatch(ToolCallInterceptor::needsToolDefinition);
	}

	/** Everything allowed, nothing audited. */
	public static McpGovernance none() {
		return new McpGovernance(new RuleBasedToolPolicy(List.of(), false), null, AuditLog.none(), List.of());
	}

}
