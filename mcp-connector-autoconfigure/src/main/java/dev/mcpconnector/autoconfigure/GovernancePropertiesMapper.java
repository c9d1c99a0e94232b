package dev.mcpconnector.autoconfigure;

import java.util.List;

import dev.mcpconnector.policy.RuleBasedToolPolicy;
import dev.mcpconnector.policy.ToolDecision;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.policy.ToolRule;
import dev.mcpconnector.ratelimit.RateLimit;
import dev.mcpconnector.ratelimit.RateLimits;

import org.springframework.util.Assert;

/**
 * Maps {@link GovernanceProperties} to the tool policy and the rate limits.
 */
final class GovernancePropertiesMapper {

	private final GovernanceProperties properties;

	GovernancePropertiesMapper(GovernanceProperties properties) {
		Assert.notNull(properties, "properties cannot be null");
		this.properties = properties;
	}

	ToolPolicy asToolPolicy() {
		List<ToolRule> rules = this.properties.getRules()
			.stream()
			.map((rule) -> new ToolRule(rule.getTenant(), rule.getConnection(), rule.getServer(), rule.getTool(),
					asDecision(rule.getAction())))
			.toList();
		return new RuleBasedToolPolicy(rules, this.properties.getApproval().isDestructiveTools());
	}

	RateLimits asRateLimits() {
		GovernanceProperties.RateLimits limits = this.properties.getRateLimits();
		return new RateLimits(asRateLimit(limits.getPerUser()), asRateLimit(limits.getPerConnection()),
				asRateLimit(limits.getPerTool()));
	}

	static ToolDecision asDecision(GovernanceProperties.Action action) {
		return switch (action) {
			case ALLOW -> ToolDecision.ALLOW;
			case DENY -> ToolDecision.DENY;
			case APPROVE -> ToolDecision.REQUIRE_APPROVAL;
		};
	}

	private static RateLimit asRateLimit(GovernanceProperties.Limit limit) {
		return (limit.getCapacity() != null) ? RateLimit.of(limit.getCapacity(), limit.getPeriod()) : null;
	}

}
