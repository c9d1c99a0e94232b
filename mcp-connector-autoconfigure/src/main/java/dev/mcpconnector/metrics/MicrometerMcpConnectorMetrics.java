package dev.mcpconnector.metrics;

import java.time.Duration;
import java.util.Locale;

import dev.mcpconnector.execution.ToolCallInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * {@link McpConnectorMetrics} as Micrometer meters in a {@link MeterRegistry}. Tag values are
 * lower-cased; a blank one becomes {@code none}, one longer than 40 characters {@code other}.
 */
class MicrometerMcpConnectorMetrics implements McpConnectorMetrics {

	/** Longest tag value kept; longer values (a caller's mistake) become {@code other}. */
	private static final int MAX_TAG_LENGTH = 40;

	private final MeterRegistry registry;

	MicrometerMcpConnectorMetrics(MeterRegistry registry) {
		Assert.notNull(registry, "registry cannot be null");
		this.registry = registry;
	}

	@Override
	public void toolCall(ToolCallInterceptor.Outcome outcome) {
		Duration latency = (outcome.latency() != null) ? outcome.latency() : Duration.ZERO;
		Timer.builder(TOOL_CALLS)
			.description("MCP tool calls made through mcp-connector")
			.tag("outcome", tag(outcome.outcome()))
			.tag("decision", tag(outcome.decision()))
			.register(this.registry)
			.record(latency);
		if ("rate-limited".equals(outcome.outcome())) {
			rateLimited();
		}
	}

	@Override
	public void refreshed(boolean ok) {
		Counter.builder(TOKEN_REFRESHES)
			.description("OAuth token refreshes")
			.tag("outcome", ok ? "success" : "failure")
			.register(this.registry)
			.increment();
	}

	@Override
	public void authorized(String outcome) {
		Counter.builder(AUTHORIZATIONS)
			.description("Authorizations of MCP connections")
			.tag("outcome", tag(outcome))
			.register(this.registry)
			.increment();
	}

	@Override
	public void approvalDecided(String decision) {
		Counter.builder(APPROVALS)
			.description("Decisions on tool-call approval requests")
			.tag("decision", tag(decision))
			.register(this.registry)
			.increment();
	}

	/** Records a call refused by a rate limit. */
	@Override
	public void rateLimited() {
		Counter.builder(RATE_LIMITED)
			.description("Tool calls refused by a rate limit")
			.register(this.registry)
			.increment();
	}

	private static String tag(String value) {
		if (value == null || value.isBlank()) {
			return "none";
		}
		String tag = value.trim().toLowerCase(Locale.ROOT);
		return (tag.length() <= MAX_TAG_LENGTH) ? tag : "other";
	}

}
