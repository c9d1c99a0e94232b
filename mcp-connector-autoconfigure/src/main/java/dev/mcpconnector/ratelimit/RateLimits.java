package dev.mcpconnector.ratelimit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The configured limits, one per {@link RateLimit.Scope}; a {@code null} limit means that scope
 * is unlimited.
 *
 * @param perUser limit of all calls of one user, or {@code null}
 * @param perConnection limit of one user's calls through one connection, or {@code null}
 * @param perTool limit of one user's calls of one tool on one connection, or {@code null}
 */
record RateLimits(RateLimit perUser, RateLimit perConnection, RateLimit perTool) {

	/** No limits at all. */
	static final RateLimits NONE = new RateLimits(null, null, null);

	/**
	 * Whether no scope is limited.
	 * @return {@code true} when every limit is absent
	 */
	public boolean isEmpty() {
		return this.perUser == null && this.perConnection == null && this.perTool == null;
	}

	/**
	 * The configured limits, narrowest scope first (tool, connection, user).
	 * @return the limits by scope, in checking order
	 */
	public List<Map.Entry<RateLimit.Scope, RateLimit>> narrowestFirst() {
		List<Map.Entry<RateLimit.Scope, RateLimit>> limits = new ArrayList<>(3);
		if (this.perTool != null) {
			limits.add(Map.entry(RateLimit.Scope.TOOL, this.perTool));
		}
		if (this.perConnection != null) {
			limits.add(Map.entry(RateLimit.Scope.CONNECTION, this.perConnection));
		}
		if (this.perUser != null) {
			limits.add(Map.entry(RateLimit.Scope.USER, this.perUser));
		}
		return Collections.unmodifiableList(limits);
	}

}
