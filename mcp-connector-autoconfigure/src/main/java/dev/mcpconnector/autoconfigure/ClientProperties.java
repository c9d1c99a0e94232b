package dev.mcpconnector.autoconfigure;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * Sessions with MCP servers ({@code mcp.connector.client.*}).
 */
class ClientProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".client";

	/** Client name sent in MCP initialize requests. */
	private String name = "mcp-connector";

	/** Client version sent in MCP initialize requests. */
	private String version = "0.1.0";

	/** TCP connect timeout to MCP servers; a connection's own connectTimeout may only lower it. */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/** How long one MCP request (a tool call, say) may take; a connection's own requestTimeout may only lower it. */
	private Duration requestTimeout = Duration.ofSeconds(30);

	/** Most pooled sessions (one per user and connection); the least recently used is closed beyond it. */
	private int maxSessions = 1000;

	/**
	 * Most live sessions of one user: beyond it their own least recently used idle session is
	 * closed, or, when every one is busy, the call is refused (429); never another user's.
	 */
	private int maxSessionsPerOwner = 100;

	/** Most operations (tool calls, listings) of one user in flight at once; the next is refused (429). */
	private int maxConcurrentCallsPerOwner = 32;

	/** Most connections one user may have; the next connect is refused (409). */
	private int maxConnectionsPerOwner = 100;

	/** A pooled session unused this long is closed. */
	private Duration idleTimeout = Duration.ofMinutes(10);

	/** Largest MCP response accepted from a server; a connection's own maxResponseBytes may only lower it. */
	private DataSize maxResponseSize = DataSize.ofMegabytes(16);

	public DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public int getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(int maxSessions) {
		this.maxSessions = maxSessions;
	}

	public int getMaxSessionsPerOwner() {
		return this.maxSessionsPerOwner;
	}

	public void setMaxSessionsPerOwner(int maxSessionsPerOwner) {
		this.maxSessionsPerOwner = maxSessionsPerOwner;
	}

	public int getMaxConcurrentCallsPerOwner() {
		return this.maxConcurrentCallsPerOwner;
	}

	public void setMaxConcurrentCallsPerOwner(int maxConcurrentCallsPerOwner) {
		this.maxConcurrentCallsPerOwner = maxConcurrentCallsPerOwner;
	}

	public int getMaxConnectionsPerOwner() {
		return this.maxConnectionsPerOwner;
	}

	public void setMaxConnectionsPerOwner(int maxConnectionsPerOwner) {
		this.maxConnectionsPerOwner = maxConnectionsPerOwner;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getVersion() {
		return this.version;
	}

	public void setVersion(String version) {
		this.version = version;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	void validate() {
		PropertyChecks.hasText(PREFIX + ".name", this.name);
		PropertyChecks.hasText(PREFIX + ".version", this.version);
		PropertyChecks.positive(PREFIX + ".connect-timeout", this.connectTimeout);
		PropertyChecks.positive(PREFIX + ".request-timeout", this.requestTimeout);
		PropertyChecks.positive(PREFIX + ".max-sessions", this.maxSessions);
		PropertyChecks.positive(PREFIX + ".idle-timeout", this.idleTimeout);
		PropertyChecks.positive(PREFIX + ".max-sessions-per-owner", this.maxSessionsPerOwner);
		PropertyChecks.positive(PREFIX + ".max-concurrent-calls-per-owner", this.maxConcurrentCallsPerOwner);
		PropertyChecks.positive(PREFIX + ".max-connections-per-owner", this.maxConnectionsPerOwner);
		PropertyChecks.positive(PREFIX + ".max-response-size", this.maxResponseSize);
		if (this.maxResponseSize.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidMcpConnectorPropertyException(PREFIX + ".max-response-size",
					"must be below 2GB, but was " + this.maxResponseSize);
		}
	}

}
