package dev.mcpconnector.usage;

import java.time.LocalDate;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;

/**
 * Tool calls of one owner, on one connection, of one tool, on one day.
 *
 * @param day the day, in the usage service's time zone
 * @param owner whose calls they were
 * @param connectionId the connection (it may have been deleted since), or {@code null}
 * @param tool the tool name, or {@code null}
 * @param calls every call, whatever its outcome (refused ones included)
 * @param errors calls that did not reach a result: outcome other than {@code ok} and
 * {@code tool-error} (failed, denied, rate-limited, approval-pending, ...)
 * @param toolErrors calls the tool answered with an error ({@code tool-error})
 * @param avgLatencyMillis mean latency of the calls with a latency (rounded to 3 decimals), or {@code null}
 * @param p95LatencyMillis 95th percentile of the latency (interpolated, rounded to 3 decimals), or
 * {@code null}
 */
public record UsageRow(LocalDate day, McpOwner owner, UUID connectionId, String tool, long calls, long errors,
		long toolErrors, Double avgLatencyMillis, Double p95LatencyMillis) {

}
