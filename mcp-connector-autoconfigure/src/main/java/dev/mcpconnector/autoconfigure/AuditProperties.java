package dev.mcpconnector.autoconfigure;

import java.time.Duration;

/**
 * The audit log of connects, authorizations, refresh failures, revocations, tool calls and
 * approval decisions ({@code mcp.connector.audit.*}).
 */
class AuditProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".audit";

	/** Whether to write audit events to the mcp_audit_event table, asynchronously and in batches. */
	private boolean enabled = true;

	/** Most audit events waiting in memory to be written; further events are dropped and counted. */
	private int queueCapacity = 100_000;

	/** Most audit events written in one transaction. */
	private int batchSize = 500;

	/** Longest an audit event waits in memory for others to share its batch. */
	private Duration maxDelay = Duration.ofMillis(200);

	/** Longest a graceful shutdown waits for the writer to drain the queue before draining the rest itself. */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/** Tenant administrator authority: may read the audit events and usage of every user of its own tenant (scope=tenant). */
	private String adminAuthority = "ROLE_MCP_ADMIN";

	/** Global administrator authority: may read every tenant's audit events and usage (scope=all, and scope=tenant). */
	private String globalAdminAuthority = "ROLE_MCP_GLOBAL_ADMIN";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getMaxDelay() {
		return this.maxDelay;
	}

	public void setMaxDelay(Duration maxDelay) {
		this.maxDelay = maxDelay;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public String getAdminAuthority() {
		return this.adminAuthority;
	}

	public void setAdminAuthority(String adminAuthority) {
		this.adminAuthority = adminAuthority;
	}

	public String getGlobalAdminAuthority() {
		return this.globalAdminAuthority;
	}

	public void setGlobalAdminAuthority(String globalAdminAuthority) {
		this.globalAdminAuthority = globalAdminAuthority;
	}

	void validate() {
		PropertyChecks.positive(PREFIX + ".queue-capacity", this.queueCapacity);
		PropertyChecks.positive(PREFIX + ".batch-size", this.batchSize);
		PropertyChecks.notNegative(PREFIX + ".max-delay", this.maxDelay);
		PropertyChecks.notNegative(PREFIX + ".shutdown-timeout", this.shutdownTimeout);
		PropertyChecks.hasText(PREFIX + ".admin-authority", this.adminAuthority);
		PropertyChecks.hasText(PREFIX + ".global-admin-authority", this.globalAdminAuthority);
		if (this.adminAuthority.equals(this.globalAdminAuthority)) {
			throw new InvalidMcpConnectorPropertyException(PREFIX + ".global-admin-authority",
					"must differ from " + PREFIX + ".admin-authority: a tenant administrator would see every tenant");
		}
	}

}
