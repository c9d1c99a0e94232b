package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;

/**
 * How sessions to MCP servers are opened and pooled.
 *
 * @param clientName the client name sent in {@code initialize}
 * @param clientVersion the client version sent in {@code initialize}
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout how long one MCP request may take
 * @param maxSessions most pooled sessions; the least recently used is closed beyond it
 * @param idleTimeout a session unused this long is closed
 * @param maxResponseBytes the largest MCP response accepted
 * @param elicitation how to answer a server's form elicitation, or {@code null} to not offer
 * elicitation; the result's content is completed with the schema's defaults
 */
public record McpClientSettings(String clientName, String clientVersion, Duration connectTimeout,
		Duration requestTimeout, int maxSessions, Duration idleTimeout, int maxResponseBytes,
		Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation) {

	public McpClientSettings {
		Assert.hasText(clientName, "clientName cannot be empty");
		Assert.hasText(clientVersion, "clientVersion cannot be empty");
		Assert.notNull(connectTimeout, "connectTimeout cannot be null");
		Assert.notNull(requestTimeout, "requestTimeout cannot be null");
		Assert.isTrue(maxSessions > 0, "maxSessions must be positive");
		Assert.isTrue(maxResponseBytes > 0, "maxResponseBytes must be positive");
		Assert.isTrue(idleTimeout != null && !idleTimeout.isNegative() && !idleTimeout.isZero(),
				"idleTimeout must be positive");
	}

	/**
	 * Settings with a pool of 1,000 sessions closed after 10 idle minutes, and responses up to
	 * 16 MiB.
	 */
	public McpClientSettings(String clientName, String clientVersion, Duration connectTimeout, Duration requestTimeout,
			Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation) {
		this(clientName, clientVersion, connectTimeout, requestTimeout, 1000, Duration.ofMinutes(10), 16 * 1024 * 1024,
				elicitation);
	}

}
