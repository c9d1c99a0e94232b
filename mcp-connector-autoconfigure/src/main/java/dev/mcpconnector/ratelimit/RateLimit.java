package dev.mcpconnector.ratelimit;

import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.scheduling.RetentionTask;

import org.springframework.util.Assert;

/**
 * A limit of {@code capacity} tool calls per {@code period}. The window of a bucket starts at
 * its first call; when it has passed, the whole capacity is available again ("N calls per
 * window", refilled at once, not a token at a time).
 *
 * @param capacity calls allowed per period, at least 1
 * @param period length of the window, positive
 */
public record RateLimit(long capacity, Duration period) {

	/**
	 * Checks the limit.
	 * @param capacity calls allowed per period, at least 1
	 * @param period length of the window, positive
	 */
	public RateLimit {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		Assert.notNull(period, "period cannot be null");
		Assert.isTrue(!period.isZero() && !period.isNegative(), "period must be positive");
	}

	/**
	 * A limit of {@code capacity} calls per {@code period}.
	 * @param capacity calls allowed per period
	 * @param period the window
	 * @return the limit
	 */
	public static RateLimit of(long capacity, Duration period) {
		return new RateLimit(capacity, period);
	}

	/**
	 * The interceptor that enforces limits per user, per connection and per tool before every
	 * tool call, across every application instance that shares the database: one Bucket4j
	 * bucket per (scope, owner, connection, tool, limit) in the table
	 * {@link McpConnectorTables#rateLimitBucket()}, updated under {@code SELECT ... FOR UPDATE}.
	 * A refused call throws a {@link RateLimitExceededException}; an unreachable database
	 * refuses the call (fail closed). Without any limit it never touches the database.
	 * @param perUser limit of all calls of one user, or {@code null}
	 * @param perConnection limit of one user's calls through one connection, or {@code null}
	 * @param perTool limit of one user's calls of one tool on one connection, or {@code null}
	 * @param dataSource the database shared by every instance
	 * @param tables where mcp-connector's tables are
	 * @return the interceptor, ordered {@code HIGHEST_PRECEDENCE + 1000}
	 */
	public static ToolCallInterceptor interceptor(RateLimit perUser, RateLimit perConnection, RateLimit perTool,
			DataSource dataSource, McpConnectorTables tables) {
		return new RateLimitInterceptor(new RateLimits(perUser, perConnection, perTool), dataSource, tables);
	}

	/**
	 * The clean-up of the buckets of an {@linkplain #interceptor interceptor}: deletes bucket
	 * rows whose bucket has been full again for a while, in batches ({@code rate-limit-buckets}).
	 * @param interceptor an interceptor
	 * @return the task, or empty when the interceptor was not made by {@link #interceptor}
	 */
	public static Optional<RetentionTask> expiredBuckets(ToolCallInterceptor interceptor) {
		if (!(interceptor instanceof RateLimitInterceptor limits)) {
			return Optional.empty();
		}
		return Optional.of(RetentionTask.of("rate-limit-buckets", (now) -> limits.removeExpiredBuckets()));
	}

	@Override
	public String toString() {
		return this.capacity + " call(s) per " + this.period;
	}

	/** What a {@link RateLimit} counts. Every scope is per owner (tenant and principal). */
	public enum Scope {

		/** All calls of one user, over all their connections and tools. */
		USER("user"),

		/** One user's calls through one connection. */
		CONNECTION("connection"),

		/** One user's calls of one tool on one connection. */
		TOOL("tool");

		private final String value;

		Scope(String value) {
			this.value = value;
		}

		/**
		 * The scope's lower-case name, as used in messages, problem details and metric tags.
		 * @return the name
		 */
		public String value() {
			return this.value;
		}

	}

}
