package dev.mcpconnector.execution;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.policy.ToolPolicy;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Holds a call the policy sent to approval until it is approved; a pending or denied approval
 * refuses the call with its own exception.
 */
final class ApprovalInterceptor implements ToolCallInterceptor, Ordered {

	private final ApprovalService approvals;

	ApprovalInterceptor(ApprovalService approvals) {
		Assert.notNull(approvals, "approvals cannot be null");
		this.approvals = approvals;
	}

	@Override
	public void before(ToolCallContext call) {
		if (call.decision() == ToolPolicy.Decision.REQUIRE_APPROVAL) {
			this.approvals.requireApproval(call.owner(), call.connectionId(), call.toolName(), call.arguments(),
					(call.tool() != null) ? call.tool().inputSchema() : null);
			call.approve();
		}
	}

	@Override
	public boolean needsToolDefinition() {
		return false;
	}

	@Override
	public int getOrder() {
		return APPROVAL_ORDER;
	}

}
