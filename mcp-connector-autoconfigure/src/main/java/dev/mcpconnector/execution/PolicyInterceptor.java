package dev.mcpconnector.execution;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.policy.ToolDecision;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.policy.ToolPolicyRequest;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/** Asks the {@link ToolPolicy}; a policy that answers nothing denies. */
final class PolicyInterceptor implements ToolCallInterceptor, Ordered {

	private final ToolPolicy policy;

	PolicyInterceptor(ToolPolicy policy) {
		Assert.notNull(policy, "policy cannot be null");
		this.policy = policy;
	}

	@Override
	public void before(ToolCallContext call) {
		ToolDecision decision = decide(call);
		call.decide(decision);
		if (decision == ToolDecision.DENY) {
			throw new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED, "The tool " + call.toolName() + " is not allowed");
		}
	}

	@Override
	public boolean allowsListing(ToolCallContext tool) {
		return decide(tool) != ToolDecision.DENY;
	}

	@Override
	public boolean needsToolDefinition() {
		return this.policy.needsToolDefinition();
	}

	private ToolDecision decide(ToolCallContext call) {
		ToolDecision decision = this.policy.decide(new ToolPolicyRequest(call.owner(), call.connectionId(),
				call.connectionName(), call.serverHost(), call.toolName(), call.tool()));
		return (decision != null) ? decision : ToolDecision.DENY;
	}

	@Override
	public int getOrder() {
		return POLICY_ORDER;
	}

}
