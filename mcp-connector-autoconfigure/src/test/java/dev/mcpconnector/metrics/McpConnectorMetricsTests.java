package dev.mcpconnector.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.ToolCallContext;
import dev.mcpconnector.execution.ToolCallInterceptor;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MicrometerMcpConnectorMetrics} and {@link McpConnectorMetricsInterceptor} on a SimpleMeterRegistry. */
@org.junit.jupiter.api.Tag("fast")
class McpConnectorMetricsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final McpConnectorMetrics metrics = new MicrometerMcpConnectorMetrics(this.meters);

	private final RecordingHandler spans = new RecordingHandler();

	private final ObservationRegistry observations = observationRegistry();

	private final McpConnectorMetricsInterceptor interceptor = new McpConnectorMetricsInterceptor(this.metrics,
			this.observations);

	@Test
	void toolCallsAreTimedByOutcomeAndDecisionOnly() {
		ToolCallContext call = call("alice", "echo");
		this.interceptor.before(call);
		this.interceptor.after(call, new ToolCallInterceptor.Outcome("ok", "allow", null, Duration.ofMillis(40)));
		ToolCallContext failing = call("bob", "send_email");
		this.interceptor.before(failing);
		this.interceptor.after(failing,
				new ToolCallInterceptor.Outcome("failed", "allow", "upstream-timeout", Duration.ofMillis(10)));

		Timer ok = this.meters.get(McpConnectorMetrics.TOOL_CALLS).tags("outcome", "ok", "decision", "allow").timer();
		assertThat(ok.count()).isEqualTo(1);
		assertThat(ok.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
		assertThat(this.meters.get(McpConnectorMetrics.TOOL_CALLS).tags("outcome", "failed").timer().count())
			.isEqualTo(1);
		assertThat(this.meters.find(McpConnectorMetrics.RATE_LIMITED).counter()).isNull();
		assertLowCardinality();
	}

	@Test
	void everyToolCallIsOneObservationThatBecomesATimerToo() {
		ToolCallContext call = call("alice", "echo");
		this.interceptor.before(call);
		assertThat(this.spans.started).hasSize(1);
		assertThat(this.spans.stopped).isEmpty();
		this.interceptor.after(call, new ToolCallInterceptor.Outcome("tool-error", "allow", null, Duration.ofMillis(5)));
		assertThat(this.spans.stopped).hasSize(1);
		Observation.Context context = this.spans.stopped.get(0);
		assertThat(context.getName()).isEqualTo(McpConnectorMetricsInterceptor.OBSERVATION_NAME);
		assertThat(context.getLowCardinalityKeyValues().stream().map(KeyValue::getKey).collect(Collectors.toSet()))
			.containsExactlyInAnyOrder("outcome", "decision");
		assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("tool-error");
		assertThat(context.getHighCardinalityKeyValue("mcp.tool.name").getValue()).isEqualTo("echo");
		assertThat(context.getHighCardinalityKeyValue("mcp.connection.id").getValue())
			.isEqualTo(call.connectionId().toString());
		assertThat(context.getAllKeyValues().stream().map(KeyValue::getValue)).doesNotContain("alice");
		// DefaultMeterObservationHandler turns the observation into a timer of its own
		assertThat(this.meters.get(McpConnectorMetricsInterceptor.OBSERVATION_NAME)
			.tags("outcome", "tool-error")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.interceptor.inFlight()).isZero();
	}

	@Test
	void equalButDistinctCallsInFlightKeepTheirOwnObservations() {
		ToolCallContext first = call("alice", "echo");
		ToolCallContext second = new ToolCallContext(first.owner(), first.connectionId(), first.toolName(), null,
				first.arguments());
		assertThat(second).isEqualTo(first).isNotSameAs(first);
		this.interceptor.before(first);
		this.interceptor.before(second);
		assertThat(this.interceptor.inFlight()).isEqualTo(2);
		this.interceptor.after(second, new ToolCallInterceptor.Outcome("ok", "allow", null, Duration.ofMillis(1)));
		this.interceptor.after(first, new ToolCallInterceptor.Outcome("failed", "allow", "x", Duration.ofMillis(1)));
		assertThat(this.interceptor.inFlight()).isZero();
		assertThat(this.spans.stopped).hasSize(2);
		assertThat(this.spans.stopped.get(0)).isSameAs(this.spans.started.get(1));
		assertThat(this.spans.stopped.get(1)).isSameAs(this.spans.started.get(0));
	}

	@Test
	void aCallRefusedBeforeThisInterceptorRanIsStillTimedObservedAndCounted() {
		ToolCallContext call = call("alice", "echo");
		this.interceptor.after(call, new ToolCallInterceptor.Outcome("rate-limited", "allow", "rate-limited", Duration.ZERO));
		assertThat(this.meters.get(McpConnectorMetrics.RATE_LIMITED).counter().count()).isEqualTo(1);
		assertThat(this.meters.get(McpConnectorMetrics.TOOL_CALLS).tags("outcome", "rate-limited").timer().count())
			.isEqualTo(1);
		assertThat(this.spans.started).hasSize(1);
		assertThat(this.spans.stopped).hasSize(1);
	}

	@Test
	void refreshesAuthorizationsAndApprovalsAreCounted() {
		this.metrics.refreshed(true);
		this.metrics.refreshed(true);
		this.metrics.refreshed(false);
		this.metrics.authorized("success");
		this.metrics.authorized("access_denied");
		this.metrics.approvalDecided("approved");
		this.metrics.approvalDecided("denied");
		this.metrics.approvalDecided("denied");
		this.metrics.approvalDecided(null);
		assertThat(count(McpConnectorMetrics.TOKEN_REFRESHES, "outcome", "success")).isEqualTo(2);
		assertThat(count(McpConnectorMetrics.TOKEN_REFRESHES, "outcome", "failure")).isEqualTo(1);
		assertThat(count(McpConnectorMetrics.AUTHORIZATIONS, "outcome", "success")).isEqualTo(1);
		assertThat(count(McpConnectorMetrics.AUTHORIZATIONS, "outcome", "access_denied")).isEqualTo(1);
		assertThat(count(McpConnectorMetrics.APPROVALS, "decision", "approved")).isEqualTo(1);
		assertThat(count(McpConnectorMetrics.APPROVALS, "decision", "denied")).isEqualTo(2);
		assertThat(count(McpConnectorMetrics.APPROVALS, "decision", "none")).isEqualTo(1);
		assertLowCardinality();
	}

	@Test
	void withoutAnObservationRegistryNothingIsHeld() {
		McpConnectorMetricsInterceptor plain = new McpConnectorMetricsInterceptor(this.metrics, null);
		ToolCallContext call = call("alice", "echo");
		plain.before(call);
		assertThat(plain.inFlight()).isZero();
		plain.after(call, new ToolCallInterceptor.Outcome("ok", "allow", null, Duration.ofMillis(3)));
		assertThat(this.meters.get(McpConnectorMetrics.TOOL_CALLS).timer().count()).isEqualTo(1);
	}

	private double count(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).counter().count();
	}

	private void assertLowCardinality() {
		Set<String> allowed = Set.of("outcome", "decision");
		for (Meter meter : this.meters.getMeters()) {
			if (meter.getId().getName().startsWith("mcp.connector.tool.calls")
					|| meter.getId().getName().startsWith("mcp.connector.token")
					|| meter.getId().getName().startsWith("mcp.connector.authorizations")
					|| meter.getId().getName().startsWith("mcp.connector.approvals")) {
				assertThat(meter.getId().getTags().stream().map(Tag::getKey)).allMatch(allowed::contains);
				assertThat(meter.getId().getTags().stream().map(Tag::getValue)).doesNotContain("alice", "bob",
						"echo", "send_email");
			}
		}
	}

	private ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
		registry.observationConfig().observationHandler(this.spans);
		return registry;
	}

	private static ToolCallContext call(String principal, String tool) {
		return new ToolCallContext(McpOwner.of(principal), UUID.randomUUID(), tool, null, Map.of("to", "x"));
	}

	/** Records started and stopped observations, as a tracer would see them. */
	static final class RecordingHandler implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> started = new CopyOnWriteArrayList<>();

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.started.add(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
