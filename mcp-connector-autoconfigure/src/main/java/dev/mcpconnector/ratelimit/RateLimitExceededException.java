package dev.mcpconnector.ratelimit;

import java.time.Duration;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

import org.springframework.util.Assert;

/**
 * A tool call was refused because a configured {@link RateLimit} is used up. Error code
 * {@code rate-limited}; the web layer answers {@code 429 Too Many Requests} with a
 * {@code Retry-After} header. The message names the scope and the limit, never the user.
 */
public class RateLimitExceededException extends McpConnectorException {

	private final RateLimit.Scope scope;

	private final RateLimit limit;

	private final Duration retryAfter;

	public RateLimitExceededException(RateLimit.Scope scope, RateLimit limit, Duration retryAfter) {
		super(McpConnectorErrorCode.RATE_LIMITED, "Rate limit of " + limit + " per " + scope.value() + " exceeded; retry after "
				+ toSeconds(retryAfter) + "s");
		Assert.notNull(scope, "scope cannot be null");
		this.scope = scope;
		this.limit = limit;
		this.retryAfter = (retryAfter != null && !retryAfter.isNegative()) ? retryAfter : Duration.ZERO;
	}

	/**
	 * Which limit refused the call.
	 * @return the scope
	 */
	public RateLimit.Scope scope() {
		return this.scope;
	}

	/**
	 * The limit that refused the call.
	 * @return the limit
	 */
	public RateLimit limit() {
		return this.limit;
	}

	/**
	 * How long until the limit lets a call through again (a lower bound when several instances
	 * compete for the same bucket).
	 * @return the wait, never negative
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * {@link #retryAfter()} in whole seconds, rounded up and at least 1, as a
	 * {@code Retry-After} header wants it.
	 * @return the seconds to wait
	 */
	public long retryAfterSeconds() {
		return toSeconds(this.retryAfter);
	}

	@Override
	public HttpHeaders getHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
		return headers;
	}

	@Override
	public ProblemDetail getBody() {
		ProblemDetail problem = super.getBody();
		problem.setProperty("scope", this.scope.value());
		problem.setProperty("retryAfterSeconds", retryAfterSeconds());
		return problem;
	}

	private static long toSeconds(Duration wait) {
		if (wait == null || wait.isNegative() || wait.isZero()) {
			return 1;
		}
		long seconds = wait.getSeconds() + ((wait.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
