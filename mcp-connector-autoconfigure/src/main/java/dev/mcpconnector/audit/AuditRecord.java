package dev.mcpconnector.audit;

import java.time.Instant;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;

/**
 * A stored audit event, as read back from the audit table.
 *
 * @param id the row id, increasing with insertion
 * @param at when it happened
 * @param owner whose action it was
 * @param type what kind of event
 * @param connectionId the connection, if any (it may have been deleted since)
 * @param tool the tool name, or {@code null}
 * @param outcome the outcome
 * @param decision the policy or approval decision, or {@code null}
 * @param latencyMillis the latency of a tool call, or {@code null}
 * @param detail a short non-sensitive detail, or {@code null}
 * @param actor who decided, for approval decisions, or {@code null}
 */
public record AuditRecord(long id, Instant at, McpOwner owner, AuditEvent.Type type, UUID connectionId, String tool,
		String outcome, String decision, Long latencyMillis, String detail, String actor) {

}
