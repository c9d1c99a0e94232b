package dev.mcpconnector.execution;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.policy.ToolPolicy;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The interceptor chain around a tool call, without a server. */
@Tag("fast")
class ToolCallPipelineTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final McpOwner owner = McpOwner.of("t1", "alice");

	private final UUID connection = UUID.randomUUID();

	private final List<AuditEvent> audited = new ArrayList<>();

	private final AuditLog audit = this.audited::add;

	private final List<String> seen = new ArrayList<>();

	private final AtomicInteger serverCalls = new AtomicInteger();

	@Test
	void runWhenAllowedThenBeforesInOrderCallThenAftersInOrderAndAudited() {
		ToolCallPipeline pipeline = new ToolCallPipeline(List.of(recording("first"),
				ToolCallInterceptor.policy(policy(ToolPolicy.Decision.ALLOW)), recording("second"), auditInterceptor()));
		McpSchema.CallToolResult result = pipeline.run(this::call, call(), () -> answer(false));
		assertThat(result.isError()).isFalse();
		assertThat(this.seen).containsExactly("before first", "before second", "after first ok allow",
				"after second ok allow");
		assertThat(this.audited).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(AuditEvent.Type.TOOL_CALL);
			assertThat(event.at()).isEqualTo(NOW);
			assertThat(event.tool()).isEqualTo("echo");
			assertThat(event.outcome()).isEqualTo("ok");
			assertThat(event.decision()).isEqualTo("allow");
		});
	}

	@Test
	void runWhenToolAnswersIsErrorThenToolErrorOutcome() {
		ToolCallPipeline pipeline = new ToolCallPipeline(List.of(recording("only")));
		pipeline.run(this::call, call(), () -> answer(true));
		assertThat(this.seen).containsExactly("before only", "after only tool-error allow");
	}

	@Test
	void runWhenPolicyDeniesThenRefusedBeforeLaterInterceptorsAndEveryAfterSeesIt() {
		ToolCallPipeline pipeline = new ToolCallPipeline(List.of(recording("metrics"),
				ToolCallInterceptor.policy(policy(ToolPolicy.Decision.DENY)), recording("rate-limit"), auditInterceptor()));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> pipeline.run(this::call, call(), () -> answer(false)))
			.satisfies((e) -> assertThat(e.error()).isEqualTo(McpConnectorErrorCode.TOOL_DENIED));
		assertThat(this.serverCalls).hasValue(0);
		assertThat(this.seen).containsExactly("before metrics", "after metrics denied deny",
				"after rate-limit denied deny");
		assertThat(this.audited).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo("denied");
			assertThat(event.decision()).isEqualTo("deny");
			assertThat(event.detail()).isEqualTo("tool-denied");
		});
	}

	@Test
	void runWhenApprovalRequiredAndNothingApprovesThenRefused() {
		ToolCallPipeline pipeline = new ToolCallPipeline(
				List.of(ToolCallInterceptor.policy(policy(ToolPolicy.Decision.REQUIRE_APPROVAL)), auditInterceptor()));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> pipeline.run(this::call, call(), () -> answer(false)))
			.satisfies((e) -> assertThat(e.error()).isEqualTo(McpConnectorErrorCode.TOOL_DENIED));
		assertThat(this.serverCalls).hasValue(0);
		assertThat(this.audited).singleElement()
			.satisfies((event) -> assertThat(event.decision()).isEqualTo("approval"));
	}

	@Test
	void runWhenApprovalRequiredAndAnInterceptorApprovesThenCalled() {
		ToolCallInterceptor approver = new ToolCallInterceptor() {

			@Override
			public void before(ToolCallContext call) {
				call.approve();
			}

		};
		ToolCallPipeline pipeline = new ToolCallPipeline(
				List.of(ToolCallInterceptor.policy(policy(ToolPolicy.Decision.REQUIRE_APPROVAL)), approver));
		pipeline.run(this::call, call(), () -> answer(false));
		assertThat(this.serverCalls).hasValue(1);
	}

	@Test
	void runWhenContextFailsThenFallbackReportedAsFailed() {
		ToolCallPipeline pipeline = new ToolCallPipeline(List.of(recording("only")));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> pipeline.run(() -> {
			throw new IllegalStateException("listing failed");
		}, call(), () -> answer(false)));
		assertThat(this.seen).containsExactly("after only failed allow");
	}

	@Test
	void allowsListingWhenPolicyDeniesThenHidden() {
		ToolCallPipeline denying = new ToolCallPipeline(List.of(ToolCallInterceptor.policy(policy(ToolPolicy.Decision.DENY))));
		ToolCallPipeline approving = new ToolCallPipeline(
				List.of(ToolCallInterceptor.policy(policy(ToolPolicy.Decision.REQUIRE_APPROVAL))));
		assertThat(denying.allowsListing(call())).isFalse();
		assertThat(approving.allowsListing(call())).isTrue();
		assertThat(new ToolCallPipeline(List.of()).allowsListing(call())).isTrue();
	}

	@Test
	void anAfterThatThrowsDoesNotStopTheOthers() {
		ToolCallInterceptor failing = new ToolCallInterceptor() {

			@Override
			public void after(ToolCallContext call, ToolCallInterceptor.Outcome outcome) {
				throw new IllegalStateException("broken");
			}

		};
		ToolCallPipeline pipeline = new ToolCallPipeline(List.of(failing, recording("later")));
		pipeline.run(this::call, call(), () -> answer(false));
		assertThat(this.seen).contains("after later ok allow");
	}

	private ToolCallContext call() {
		return new ToolCallContext(this.owner, this.connection, "echo", null, Map.of("message", "hi"), "Files",
				java.net.URI.create("https://files.example/mcp"));
	}

	private McpSchema.CallToolResult answer(boolean isError) {
		this.serverCalls.incrementAndGet();
		return McpSchema.CallToolResult.builder().addTextContent("done").isError(isError).build();
	}

	private ToolCallInterceptor recording(String name) {
		return new ToolCallInterceptor() {

			@Override
			public void before(ToolCallContext call) {
				ToolCallPipelineTests.this.seen.add("before " + name);
			}

			@Override
			public void after(ToolCallContext call, ToolCallInterceptor.Outcome outcome) {
				ToolCallPipelineTests.this.seen.add("after " + name + " " + outcome.outcome() + " " + outcome.decision());
			}

		};
	}

	private ToolCallInterceptor auditInterceptor() {
		return ToolCallInterceptor.audit(this.audit, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ToolPolicy policy(ToolPolicy.Decision decision) {
		return ToolPolicy.rules(List.of(new ToolPolicy.Rule(null, "https://files.example/*", "echo", decision)), false);
	}

}
