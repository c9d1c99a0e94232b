package dev.mcpconnector.ratelimit;

import java.time.Duration;

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

	@Override
	public String toString() {
		return this.capacity + " call(s) per " + this.period;
	}

}
