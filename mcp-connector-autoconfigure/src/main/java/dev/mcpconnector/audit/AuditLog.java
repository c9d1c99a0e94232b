package dev.mcpconnector.audit;

/**
 * Where audit events go. Implementations must not block the caller on I/O: the executor's warm
 * path records a tool-call event on every call.
 */
@FunctionalInterface
public interface AuditLog {

	/**
	 * Record an event (asynchronously, in implementations that write somewhere).
	 * @param event the event
	 */
	void record(AuditEvent event);

	/** An audit log that drops everything. */
	static AuditLog none() {
		return (event) -> {
		};
	}

}
