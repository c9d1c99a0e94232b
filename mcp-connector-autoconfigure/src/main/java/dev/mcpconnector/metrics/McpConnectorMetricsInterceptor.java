package dev.mcpconnector.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpconnector.execution.ToolCallContext;
import dev.mcpconnector.execution.ToolCallInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Times every tool call into {@link McpConnectorMetrics} and wraps it in an
 * {@link Observation} named {@value #OBSERVATION_NAME}, so that tracing sees one span per call.
 * <p>
 * The observation starts in {@link #before} and stops in {@link #after}; between the two it is
 * held keyed by the identity of the {@link ToolCallContext} instance (not its value: two
 * concurrent calls with equal arguments stay apart). A call whose {@code before} this
 * interceptor did not see (refused by an earlier interceptor) gets an observation started and
 * stopped in {@code after}. Runs first ({@link Ordered#HIGHEST_PRECEDENCE}) so that it sees the
 * calls other interceptors refuse.
 * <p>
 * Low-cardinality keys (metrics and spans): {@code outcome}, {@code decision}. High-cardinality
 * keys (spans only): {@code mcp.tool.name}, {@code mcp.connection.id}, {@code mcp.error.code}.
 * No user id.
 */
class McpConnectorMetricsInterceptor implements ToolCallInterceptor, Ordered {

	/** Name of the observation of a tool call. */
	public static final String OBSERVATION_NAME = "mcp.connector.tool.call";

	private final McpConnectorMetrics metrics;

	private final ObservationRegistry observations;

	private final Map<Identity, Observation> inFlight = new ConcurrentHashMap<>();

	private int order = Ordered.HIGHEST_PRECEDENCE;

	/**
	 * @param metrics the meters
	 * @param observations the observation registry, or {@code null} for none
	 */
	McpConnectorMetricsInterceptor(McpConnectorMetrics metrics, ObservationRegistry observations) {
		Assert.notNull(metrics, "metrics cannot be null");
		this.metrics = metrics;
		this.observations = (observations != null) ? observations : ObservationRegistry.NOOP;
	}

	@Override
	public void before(ToolCallContext call) {
		Observation observation = observation(call).start();
		if (!observation.isNoop()) {
			this.inFlight.put(new Identity(call), observation);
		}
	}

	@Override
	public void after(ToolCallContext call, ToolCallInterceptor.Outcome outcome) {
		try {
			this.metrics.toolCall(outcome);
		}
		finally {
			Observation observation = this.inFlight.remove(new Identity(call));
			if (observation == null) {
				observation = observation(call).start();
			}
			observation.lowCardinalityKeyValue("outcome", value(outcome.outcome()))
				.lowCardinalityKeyValue("decision", value(outcome.decision()));
			if (outcome.errorCode() != null) {
				observation.highCardinalityKeyValue("mcp.error.code", outcome.errorCode());
			}
			observation.stop();
		}
	}

	/**
	 * How many observations are started and not yet stopped (for tests and diagnostics).
	 * @return the number of calls in flight
	 */
	public int inFlight() {
		return this.inFlight.size();
	}

	private Observation observation(ToolCallContext call) {
		return Observation.createNotStarted(OBSERVATION_NAME, this.observations)
			.contextualName("mcp tool call")
			.highCardinalityKeyValue("mcp.tool.name", value(call.toolName()))
			.highCardinalityKeyValue("mcp.connection.id", String.valueOf(call.connectionId()));
	}

	private static String value(String value) {
		return (value != null) ? value : "none";
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

	/** A map key comparing by identity. */
	private static final class Identity {

		private final Object target;

		Identity(Object target) {
			this.target = target;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Identity identity && identity.target == this.target;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.target);
		}

	}

	/** Works from the tool's name alone. */
	@Override
	public boolean needsToolDefinition() {
		return false;
	}

}
