package dev.mcpconnector.metrics;

import dev.mcpconnector.audit.AuditEvent;

/**
 * Counts authorizations, refresh outcomes and approval decisions from the audit events the
 * services already emit (tool calls and rate-limit refusals are counted by the interceptor).
 */
final class MetricsAuditEventListener implements AuditEvent.Listener {

	private final McpConnectorMetrics metrics;

	MetricsAuditEventListener(McpConnectorMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void onEvent(AuditEvent event) {
		switch (event.type()) {
			case AUTHORIZATION -> this.metrics.authorized(event.outcome());
			case REFRESH_FAILURE -> this.metrics.refreshed(false);
			case REFRESH -> this.metrics.refreshed(true);
			case APPROVAL_DECISION -> this.metrics.approvalDecided(event.outcome());
			default -> {
			}
		}
	}

}
