package dev.mcpconnector.audit;

/**
 * Sees every audit event next to the {@link AuditLog}, for example to count them in metrics.
 * Must be quick and must not throw.
 */
@FunctionalInterface
public interface AuditEventListener {

	void onEvent(AuditEvent event);

	/**
	 * An audit log that records to {@code log} and tells each listener.
	 * @param log the audit log
	 * @param listeners the listeners
	 * @return the combined log
	 */
	static AuditLog fanOut(AuditLog log, java.util.List<AuditEventListener> listeners) {
		if (listeners == null || listeners.isEmpty()) {
			return log;
		}
		java.util.List<AuditEventListener> copy = java.util.List.copyOf(listeners);
		return (event) -> {
			log.record(event);
			for (AuditEventListener listener : copy) {
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
