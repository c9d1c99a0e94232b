package dev.mcpconnector.policy;

import java.util.List;

import org.springframework.util.Assert;

/**
 * The default {@link ToolPolicy}: the first matching rule decides; without a match, tools that
 * may be destructive by the spec's annotation defaults ({@code destructiveHint} true unless
 * {@code readOnlyHint} or said otherwise) need approval when configured so, and everything else
 * is allowed.
 */
final class RuleBasedToolPolicy implements ToolPolicy {

	/** Rules match names only; the definition matters only for the destructive-tools rule. */
	@Override
	public boolean needsToolDefinition() {
		return this.approveDestructive;
	}

	private final List<ToolRule> rules;

	private final boolean approveDestructive;

	RuleBasedToolPolicy(List<ToolRule> rules, boolean approveDestructive) {
		Assert.notNull(rules, "rules cannot be null");
		this.rules = List.copyOf(rules);
		this.approveDestructive = approveDestructive;
	}

	@Override
	public ToolPolicy.Decision decide(ToolPolicy.Request request) {
		for (ToolRule rule : this.rules) {
			if (rule.matches(request)) {
				return rule.decision();
			}
		}
		if (this.approveDestructive && request.isDestructive()) {
			return ToolPolicy.Decision.REQUIRE_APPROVAL;
		}
		return ToolPolicy.Decision.ALLOW;
	}

}
