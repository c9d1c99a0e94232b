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

	/** TCP connect timeout to MCP servers. */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/** How long one MCP request (a tool call, say) may take. */
	private Duration requestTimeout = Duration.ofSeconds(30);

	/** Most pooled sessions (one per user and connection); the least recently used is closed beyond it. */
	private int maxSessions = 1000;

	/** A pooled session unused this long is closed. */
	private Duration idleTimeout = Duration.ofMinutes(10);

	/** Largest MCP response accepted from a server. */
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
		PropertyChecks.positive(PREFIX + ".max-response-size", this.maxResponseSize);
		if (this.maxResponseSize.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidMcpConnectorPropertyException(PREFIX + ".max-response-size",
					"must be below 2GB, but was " + this.maxResponseSize);
		}
	}

}
