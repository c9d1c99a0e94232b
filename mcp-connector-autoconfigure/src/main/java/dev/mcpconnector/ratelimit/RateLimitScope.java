package dev.mcpconnector.ratelimit;

/** What a {@link RateLimit} counts. Every scope is per owner (tenant and principal). */
public enum RateLimitScope {

	/** All calls of one user, over all their connections and tools. */
	USER("user"),

	/** One user's calls through one connection. */
	CONNECTION("connection"),

	/** One user's calls of one tool on one connection. */
	TOOL("tool");

	private final String value;

	RateLimitScope(String value) {
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
