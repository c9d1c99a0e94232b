package dev.mcpconnector.execution;

import dev.mcpconnector.McpConnectorErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.policy.ToolPolicy;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ToolCallInterceptor}s around a tool call, in the order given: every {@code before} in order,
 * the call, every {@code after} in order with the {@link ToolCallInterceptor.Outcome}. A call the policy
 * sent to approval that no interceptor approved is refused.
 */
final class ToolCallPipeline {

	private static final Logger logger = LoggerFactory.getLogger(ToolCallPipeline.class);

	private final List<ToolCallInterceptor> interceptors;

	private final boolean needsToolDefinition;

	ToolCallPipeline(List<ToolCallInterceptor> interceptors) {
		this.interceptors = List.copyOf(interceptors);
		this.needsToolDefinition = this.interceptors.stream().anyMatch(ToolCallInterceptor::needsToolDefinition);
	}

	List<ToolCallInterceptor> interceptors() {
		return this.interceptors;
	}

	/**
	 * Whether an interceptor reads the tool's definition before a call.
	 * @return whether a call must know the tool's definition
	 */
	boolean needsToolDefinition() {
		return this.needsToolDefinition;
	}

	/**
	 * Whether every interceptor lets a tool be listed.
	 * @param tool the tool, as a call without arguments
	 * @return whether to list it
	 */
	boolean allowsListing(ToolCallContext tool) {
		return this.interceptors.stream().allMatch((interceptor) -> interceptor.allowsListing(tool));
	}

	/**
	 * Run a call through the chain.
	 * @param context makes the call's context (may fail, e.g. listing the tool's definition)
	 * @param fallback the context to report when {@code context} failed
	 * @param call the SDK call
	 * @return the result
	 */
	McpSchema.CallToolResult run(Supplier<ToolCallContext> context, ToolCallContext fallback,
			Supplier<McpSchema.CallToolResult> call) {
		long start = System.nanoTime();
		ToolCallContext observed = fallback;
		String outcome = "failed";
		String errorCode = null;
		try {
			observed = context.get();
			for (ToolCallInterceptor interceptor : this.interceptors) {
				interceptor.before(observed);
			}
			if (observed.decision() == ToolPolicy.Decision.REQUIRE_APPROVAL && !observed.isApproved()) {
				throw new McpConnectorException(McpConnectorErrorCode.TOOL_DENIED, "The tool " + observed.toolName() + " is not allowed");
			}
			McpSchema.CallToolResult result = call.get();
			outcome = Boolean.TRUE.equals(result.isError()) ? "tool-error" : "ok";
			return result;
		}
		catch (McpConnectorException ex) {
			errorCode = ex.errorCode();
			outcome = switch (ex.error()) {
				case TOOL_DENIED -> "denied";
				case APPROVAL_PENDING -> "approval-pending";
				case APPROVAL_DENIED -> "approval-denied";
				case RATE_LIMITED -> "rate-limited";
				default -> "failed";
			};
			throw ex;
		}
		finally {
			ToolCallInterceptor.Outcome result = new ToolCallInterceptor.Outcome(outcome, observed.decision().label(), errorCode,
					Duration.ofNanos(System.nanoTime() - start));
			for (ToolCallInterceptor interceptor : this.interceptors) {
				try {
					interceptor.after(observed, result);
				}
				catch (RuntimeException ex) {
					logger.warn("A tool call interceptor failed: {}", ex.getClass().getSimpleName());
				}
			}
		}
	}

}
