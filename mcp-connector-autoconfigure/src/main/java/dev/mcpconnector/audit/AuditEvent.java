package dev.mcpconnector.audit;

import java.time.Instant;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import org.springframework.util.Assert;

/**
 * One audited decision or outcome. Never carries a token, a code, a secret or an argument
 * value: {@code detail} is a short, non-sensitive explanation (an error code, a scope list).
 *
 * @param at when it happened
 * @param owner whose action it was
 * @param type what kind of event
 * @param connectionId the connection, if any
 * @param tool the tool name, for tool calls and approvals
 * @param outcome {@code ok}, {@code denied}, {@code failed}, {@code pending}, ...
 * @param decision the policy decision for tool calls ({@code allow}, {@code deny},
 * {@code approval}), or the approval decision
 * @param latencyMillis how long a tool call took, or {@code null}
 * @param detail a short non-sensitive detail (an error code), or {@code null}
 * @param actor who decided, for approval decisions (the approver), else {@code null}
 */
public record AuditEvent(Instant at, McpOwner owner, Type type, UUID connectionId, String tool, String outcome,
		String decision, Long latencyMillis, String detail, String actor) {

	public AuditEvent {
		Assert.notNull(at, "at cannot be null");
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(type, "type cannot be null");
		Assert.hasText(outcome, "outcome cannot be empty");
	}

	/** Kinds of audited events. */
	public enum Type {

		CONNECT, AUTHORIZATION, REFRESH, REFRESH_FAILURE, REVOKE, TOOL_CALL, APPROVAL_DECISION, GATEWAY_TOKEN

	}

	/**
	 * Sees every audit event next to the {@link AuditLog}, for example to count them in metrics.
	 * Must be quick and must not throw.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Hear one event, on the thread that recorded it.
		 * @param event the event
		 */
		void onEvent(AuditEvent event);

		/**
		 * An audit log that records to {@code log} and tells each listener.
		 * @param log the audit log
		 * @param listeners the listeners
		 * @return the combined log
		 */
		static AuditLog fanOut(AuditLog log, java.util.List<Listener> listeners) {
			if (listeners == null || listeners.isEmpty()) {
				return log;
			}
			java.util.List<Listener> copy = java.util.List.copyOf(listeners);
			return (event) -> {
				log.record(event);
				for (Listener listener : copy) {
					try {
						listener.onEvent(event);
					}
					catch (RuntimeException ex) {
						// a listener must never break the caller
					}
				}
			};
		}

	}

}
