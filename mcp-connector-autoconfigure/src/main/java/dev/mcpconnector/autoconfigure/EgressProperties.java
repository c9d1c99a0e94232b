package dev.mcpconnector.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.util.unit.DataSize;

/**
 * Outbound HTTP: metadata, registration, token, revocation and MCP requests
 * ({@code mcp.connector.egress.*}).
 */
class EgressProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".egress";

	/**
	 * Whether plain http and loopback addresses are allowed for hosts that resolve only to
	 * loopback. For development and tests only; never enable it in production.
	 */
	private boolean allowInsecureLoopback = false;

	/**
	 * Hosts that may resolve to private or internal addresses (for example an authorization
	 * server inside the company network), each as 'host:port' ('[v6]:port' for an IPv6
	 * literal); a bare 'host' means port 443. An allow-listed host serves as token,
	 * registration or revocation endpoint only for an issuer on its own origin.
	 */
	private Set<String> allowedHosts = new LinkedHashSet<>();

	/** TCP connect timeout. */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/** Timeout of one OAuth or discovery request. */
	private Duration readTimeout = Duration.ofSeconds(10);

	/** Largest response body accepted from an OAuth or discovery request. */
	private DataSize maxResponseSize = DataSize.ofMegabytes(1);

	/** Most redirects followed when fetching metadata; each hop is checked again. */
	private int maxRedirects = 3;

	public boolean isAllowInsecureLoopback() {
		return this.allowInsecureLoopback;
	}

	public void setAllowInsecureLoopback(boolean allowInsecureLoopback) {
		this.allowInsecureLoopback = allowInsecureLoopback;
	}

	public Set<String> getAllowedHosts() {
		return this.allowedHosts;
	}

	public void setAllowedHosts(Set<String> allowedHosts) {
		this.allowedHosts = allowedHosts;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public int getMaxRedirects() {
		return this.maxRedirects;
	}

	public void setMaxRedirects(int maxRedirects) {
		this.maxRedirects = maxRedirects;
	}

	void validate() {
		PropertyChecks.positive(PREFIX + ".connect-timeout", this.connectTimeout);
		PropertyChecks.positive(PREFIX + ".read-timeout", this.readTimeout);
		PropertyChecks.positive(PREFIX + ".max-response-size", this.maxResponseSize);
		PropertyChecks.notNegative(PREFIX + ".max-redirects", this.maxRedirects);
		for (String host : this.allowedHosts) {
			try {
				new dev.mcpconnector.egress.EgressPolicy(false, Set.of(host));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".allowed-hosts", ex.getMessage());
			}
		}
	}

}
