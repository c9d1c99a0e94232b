package dev.mcpconnector.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.ratelimit.RateLimit;

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
		List<ToolPolicy.Rule> rules = this.properties.getRules()
			.stream()
			.map((rule) -> new ToolPolicy.Rule(rule.getTenant(), rule.getServer(), rule.getTool(),
					asDecision(rule.getAction())))
			.toList();
		return ToolPolicy.rules(rules, this.properties.getApproval().isDestructiveTools());
	}

	ToolCallInterceptor asRateLimitInterceptor(DataSource dataSource, McpConnectorTables tables) {
		GovernanceProperties.RateLimits limits = this.properties.getRateLimits();
		return RateLimit.interceptor(asRateLimit(limits.getPerUser()), asRateLimit(limits.getPerConnection()),
				asRateLimit(limits.getPerTool()), dataSource, tables);
	}

	static ToolPolicy.Decision asDecision(GovernanceProperties.Action action) {
		return switch (action) {
			case ALLOW -> ToolPolicy.Decision.ALLOW;
			case DENY -> ToolPolicy.Decision.DENY;
			case APPROVE -> ToolPolicy.Decision.REQUIRE_APPROVAL;
		};
	}

	static RateLimit asRateLimit(GovernanceProperties.Limit limit) {
		return (limit.getCapacity() != null) ? RateLimit.of(limit.getCapacity(), limit.getPeriod()) : null;
	}

}
