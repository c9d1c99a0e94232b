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
 * @param maxSessionsPerOwner most live sessions of one owner: beyond it the owner's own least
 * recently used idle session is closed, or, when all are busy, the new one is refused
 * ({@code owner-limit-reached}); never another owner's
 * @param maxConcurrentCallsPerOwner most operations of one owner in flight at once; the next is
 * refused ({@code owner-limit-reached})
 */
public record McpClientSettings(String clientName, String clientVersion, Duration connectTimeout,
		Duration requestTimeout, int maxSessions, Duration idleTimeout, int maxResponseBytes,
		Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation, int maxSessionsPerOwner,
		int maxConcurrentCallsPerOwner) {

	/** Default {@link #maxSessionsPerOwner()}. */
	public static final int DEFAULT_MAX_SESSIONS_PER_OWNER = 100;

	/** Default {@link #maxConcurrentCallsPerOwner()}. */
	public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_OWNER = 32;

	public McpClientSettings {
		Assert.hasText(clientName, "clientName cannot be empty");
		Assert.hasText(clientVersion, "clientVersion cannot be empty");
		Assert.notNull(connectTimeout, "connectTimeout cannot be null");
		Assert.notNull(requestTimeout, "requestTimeout cannot be null");
		Assert.isTrue(maxSessions > 0, "maxSessions must be positive");
		Assert.isTrue(maxResponseBytes > 0, "maxResponseBytes must be positive");
		Assert.isTrue(idleTimeout != null && !idleTimeout.isNegative() && !idleTimeout.isZero(),
				"idleTimeout must be positive");
		Assert.isTrue(maxSessionsPerOwner > 0, "maxSessionsPerOwner must be positive");
		Assert.isTrue(maxConcurrentCallsPerOwner > 0, "maxConcurrentCallsPerOwner must be positive");
	}

	/** Settings with the default per-owner caps. */
	public McpClientSettings(String clientName, String clientVersion, Duration connectTimeout, Duration requestTimeout,
			int maxSessions, Duration idleTimeout, int maxResponseBytes,
			Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation) {
		this(clientName, clientVersion, connectTimeout, requestTimeout, maxSessions, idleTimeout, maxResponseBytes,
				elicitation, DEFAULT_MAX_SESSIONS_PER_OWNER, DEFAULT_MAX_CONCURRENT_CALLS_PER_OWNER);
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
