package dev.mcpconnector.autoconfigure;

import java.util.List;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;

import org.springframework.util.Assert;

/**
 * The one audit log every component records to: it hands each event to every other
 * {@link AuditLog} bean (the JDBC log, or the application's own) and then to every
 * {@link AuditEvent.Listener} (metrics, say). A listener that throws never breaks the caller.
 */
final class CompositeAuditLog implements AuditLog {

	private final List<AuditLog> logs;

	private final List<AuditEvent.Listener> listeners;

	CompositeAuditLog(List<AuditLog> logs, List<AuditEvent.Listener> listeners) {
		Assert.notNull(logs, "logs cannot be null");
		Assert.notNull(listeners, "listeners cannot be null");
		this.logs = List.copyOf(logs);
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void record(AuditEvent event) {
		for (AuditLog log : this.logs) {
			log.record(event);
		}
		for (AuditEvent.Listener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				// a listener must never break the caller
			}
		}
	}

	/** @return the drops of every log it hands events to */
	@Override
	public long droppedCount() {
		return this.logs.stream().mapToLong(AuditLog::droppedCount).sum();
	}

	List<AuditLog> logs() {
		return this.logs;
	}

	List<AuditEvent.Listener> listeners() {
		return this.listeners;
	}

	@Override
	public String toString() {
		return "CompositeAuditLog[logs=" + this.logs.size() + ", listeners=" + this.listeners.size() + "]";
	}

}
