package dev.mcpconnector.execution;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.policy.ToolPolicy;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Asks the {@link ToolPolicy}; a policy that answers nothing denies. When the policy reads tool
 * definitions, a tool the server's {@code tools/list} does not list is denied: a hidden tool
 * has no annotations to judge it by.
 */
final class PolicyInterceptor implements ToolCallInterceptor, Ordered {

	private final ToolPolicy policy;

	PolicyInterceptor(ToolPolicy policy) {
		Assert.notNull(policy, "policy cannot be null");
		this.policy = policy;
	}

	@Override
	public void before(ToolCallContext call) {
		if (call.tool() == null && this.policy.needsToolDefinition()) {
			call.decide(ToolPolicy.Decision.DENY);
			throw new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED,
					"The tool " + call.toolName() + " is not listed by the server");
		}
		ToolPolicy.Decision decision = decide(call);
		call.decide(decision);
		if (decision == ToolPolicy.Decision.DENY) {
			throw new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED, "The tool " + call.toolName() + " is not allowed");
		}
	}

	@Override
	public boolean allowsListing(ToolCallContext tool) {
		return decide(tool) != ToolPolicy.Decision.DENY;
	}

	@Override
	public boolean needsToolDefinition() {
		return this.policy.needsToolDefinition();
	}

	private ToolPolicy.Decision decide(ToolCallContext call) {
		ToolPolicy.Decision decision = this.policy.decide(new ToolPolicy.Request(call.owner(), call.connectionId(),
				call.connectionName(), call.serverHost(), call.toolName(), call.tool(), call.serverUrl()));
		return (decision != null) ? decision : ToolPolicy.Decision.DENY;
	}

	@Override
	public int getOrder() {
		return POLICY_ORDER;
	}

}
