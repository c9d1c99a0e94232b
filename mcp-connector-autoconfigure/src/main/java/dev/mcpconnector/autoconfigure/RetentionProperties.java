package dev.mcpconnector.autoconfigure;

import java.time.Duration;

/**
 * Scheduled clean-up of old and expired rows; safe with several instances
 * ({@code mcp.connector.retention.*}).
 */
class RetentionProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".retention";

	/** Whether to delete old audit events and expired pending authorizations on a schedule. */
	private boolean enabled = true;

	/** How long audit events (and so usage) are kept; 0 keeps them for ever. */
	private Duration audit = Duration.ofDays(90);

	/** Time between two clean-ups. */
	private Duration interval = Duration.ofHours(1);

	/** Most rows one delete statement removes. */
	private int batchSize = 1000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getAudit() {
		return this.audit;
	}

	public void setAudit(Duration audit) {
		this.audit = audit;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	void validate() {
		PropertyChecks.notNegative(PREFIX + ".audit", this.audit);
		PropertyChecks.positive(PREFIX + ".interval", this.interval);
		PropertyChecks.positive(PREFIX + ".batch-size", this.batchSize);
	}

}
