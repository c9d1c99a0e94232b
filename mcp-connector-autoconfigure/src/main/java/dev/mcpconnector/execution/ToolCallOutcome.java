package dev.mcpconnector.execution;

import java.time.Duration;

/**
 * How a tool call ended.
 *
 * @param outcome {@code ok}, {@code tool-error} (the tool answered {@code isError}),
 * {@code denied} (policy), {@code approval-pending}, {@code approval-denied},
 * {@code rate-limited}, or {@code failed}
 * @param decision the policy decision: {@code allow}, {@code deny} or {@code approval}
 * @param errorCode the error code when it failed or was refused, else {@code null}
 * @param latency how long it took
 */
public record ToolCallOutcome(String outcome, String decision, String errorCode, Duration latency) {

	public boolean isSuccess() {
		return "ok".equals(this.outcome) || "tool-error".equals(this.outcome);
	}

}
