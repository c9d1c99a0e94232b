package dev.mcpconnector.ratelimit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.execution.ToolCallContext;
import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.McpConnectorTables;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Enforces {@link RateLimits} per user, per connection and per tool before every tool call,
 * across every application instance that shares the database.
 * <p>
 * Each (scope, owner, connection, tool, limit) has one Bucket4j token bucket, stored in the
 * table {@link McpConnectorTables#rateLimitBucket()} (created by migration {@code MCP6}) and updated under
 * {@code SELECT ... FOR UPDATE} by Bucket4j's {@link PostgreSQLSelectForUpdateBasedProxyManager},
 * so concurrent calls from any number of instances consume tokens one at a time: with a limit
 * of N, exactly N calls pass and the next is refused with a {@link RateLimitExceededException}.
 * <p>
 * <b>Bucket ids.</b> The row id is a {@code bigint}: the first 8 bytes of the SHA-256 of the
 * bucket's key, see {@link #bucketId}. The key is a length-prefixed encoding of the scope, the
 * tenant, the principal, the connection id (connection and tool scopes), the tool name (tool
 * scope), and the limit's capacity and period, so that changing a limit starts fresh buckets
 * rather than reusing ones configured for another limit. Two distinct keys share a row only
 * on a 64-bit hash collision (probability about n²/2⁶⁵ for n live buckets). No user id is
 * stored in clear.
 * <p>
 * <b>Several scopes.</b> Limits are checked narrowest first (tool, connection, user); when one
 * refuses, the tokens already taken from the narrower buckets are given back, so a refused call
 * counts against no limit.
 * <p>
 * <b>Costs.</b> When no limit is configured this interceptor does nothing: no bucket manager is
 * built and the database is never touched. Otherwise each call costs one short transaction per
 * configured scope. A database that cannot be reached refuses the call with a
 * {@link StorageUnavailableException} (fail closed, 503), as
 * {@link StorageUnavailableException#isUnavailable} decides; any other failure passes unchanged. Windows are timed by each instance's
 * clock, as Bucket4j's JDBC backends do; keep the instances' clocks synchronized.
 * <p>
 * Rows expire: each write records when its bucket will be full again, plus a minute
 * ({@code expires_at}, epoch milliseconds); {@link #removeExpiredBuckets()} deletes expired
 * rows and is safe to run on several instances at once.
 */
class RateLimitInterceptor implements ToolCallInterceptor, Ordered {

	/** Default {@linkplain #getOrder() order}: after metrics, before anything that calls out. */
	static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	private static final int REMOVE_BATCH = 1000;

	/**
	 * How long a row outlives the moment its bucket is full again, so that clock skew between
	 * instances cannot delete a bucket that still matters.
	 */
	private static final Duration KEEP_FULL_BUCKETS = Duration.ofMinutes(1);

	private final RateLimits limits;

	private final ProxyManager<Long> buckets;

	private int order = DEFAULT_ORDER;

	/**
	 * Limits stored in the rate-limit table of {@code tables}.
	 * @param limits the limits; when empty, the data source is never used
	 * @param dataSource the database shared by every instance
	 * @param tables where mcp-connector's tables are
	 */
	RateLimitInterceptor(RateLimits limits, DataSource dataSource, McpConnectorTables tables) {
		this(limits, (limits == null || limits.isEmpty()) ? null : proxyManager(dataSource, tables));
	}

	/**
	 * Limits stored by any Bucket4j {@link ProxyManager} keyed by {@code Long}.
	 * @param limits the limits
	 * @param buckets the bucket storage, may be {@code null} only when {@code limits} is empty
	 */
	RateLimitInterceptor(RateLimits limits, ProxyManager<Long> buckets) {
		this.limits = (limits != null) ? limits : RateLimits.NONE;
		Assert.isTrue(this.limits.isEmpty() || buckets != null, "buckets cannot be null when a limit is set");
		this.buckets = buckets;
	}

	private static ProxyManager<Long> proxyManager(DataSource dataSource, McpConnectorTables tables) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.table(tables.rateLimitBucket())
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS))
			.build();
	}

	/**
	 * The configured limits.
	 * @return the limits
	 */
	RateLimits limits() {
		return this.limits;
	}

	@Override
	public void before(ToolCallContext call) {
		if (this.limits.isEmpty()) {
			return;
		}
		List<BucketProxy> taken = new ArrayList<>(3);
		try {
			for (Map.Entry<RateLimit.Scope, RateLimit> entry : this.limits.narrowestFirst()) {
				RateLimit.Scope scope = entry.getKey();
				RateLimit limit = entry.getValue();
				BucketProxy bucket = this.buckets.builder()
					.build(bucketId(bucketKey(scope, limit, call)), () -> configuration(limit));
				ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
				if (!probe.isConsumed()) {
					giveBack(taken);
					throw new RateLimitExceededException(scope, limit,
							Duration.ofNanos(probe.getNanosToWaitForRefill()));
				}
				taken.add(bucket);
			}
		}
		catch (McpConnectorException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			giveBackQuietly(taken);
			throw StorageUnavailableException.translate(ex, "Could not check the rate limits");
		}
	}

	private static void giveBack(List<BucketProxy> taken) {
		for (BucketProxy bucket : taken) {
			bucket.addTokens(1);
		}
	}

	private static void giveBackQuietly(List<BucketProxy> taken) {
		try {
			giveBack(taken);
		}
		catch (RuntimeException ex) {
			// the database is failing already; the token stays taken
		}
	}

	private static BucketConfiguration configuration(RateLimit limit) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder()
				.capacity(limit.capacity())
				.refillIntervally(limit.capacity(), limit.period())
				.build())
			.build();
	}

	/**
	 * Deletes bucket rows whose bucket has been full again for a while (their state no longer
	 * matters), in batches. Safe to run on several instances concurrently.
	 * @return how many rows were deleted
	 */
	int removeExpiredBuckets() {
		if (!(this.buckets instanceof PostgreSQLSelectForUpdateBasedProxyManager<Long> postgres)) {
			return 0;
		}
		int total = 0;
		int removed;
		do {
			removed = postgres.removeExpired(REMOVE_BATCH);
			total += removed;
		}
		while (removed >= REMOVE_BATCH);
		return total;
	}

	/**
	 * The key of a call's bucket in one scope, before hashing.
	 * @param scope the scope
	 * @param limit the limit
	 * @param call the call
	 * @return the key
	 */
	static String bucketKey(RateLimit.Scope scope, RateLimit limit, ToolCallContext call) {
		McpOwner owner = call.owner();
		StringBuilder key = new StringBuilder(128);
		append(key, "mcp-rate-limit/v1");
		append(key, scope.value());
		append(key, limit.capacity() + "/" + limit.period().toMillis() + "ms");
		append(key, owner.tenantId());
		append(key, owner.principal());
		if (scope != RateLimit.Scope.USER) {
			append(key, String.valueOf(call.connectionId()));
		}
		if (scope == RateLimit.Scope.TOOL) {
			append(key, call.toolName());
		}
		return key.toString();
	}

	private static void append(StringBuilder key, String part) {
		String value = (part != null) ? part : "";
		key.append(value.length()).append(':').append(value).append(';');
	}

	/**
	 * The bucket's row id: the first 8 bytes (big-endian) of the SHA-256 of the key's UTF-8.
	 * @param key the bucket key
	 * @return the id
	 */
	static long bucketId(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	void setOrder(int order) {
		this.order = order;
	}

	/** Works from the tool's name alone. */
	@Override
	public boolean needsToolDefinition() {
		return false;
	}

}
