package dev.mcpconnector.policy;

import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * One allow/deny/approve rule: every given glob must match ({@code *} and {@code ?},
 * case-insensitive); an absent glob matches everything. The globs are compiled once: rules are
 * checked on every tool call and every listing.
 */
final class ToolRule {

	private final Pattern tenant;

	private final Pattern connection;

	private final Pattern server;

	private final Pattern tool;

	private final ToolPolicy.Decision decision;

	/**
	 * @param tenant the tenant id glob, or {@code null}
	 * @param connection the connection name glob, or {@code null}
	 * @param server the server host glob, or {@code null}
	 * @param tool the tool name glob, or {@code null}
	 * @param decision what a match decides
	 */
	ToolRule(String tenant, String connection, String server, String tool, ToolPolicy.Decision decision) {
		Assert.notNull(decision, "decision cannot be null");
		this.tenant = compile(tenant);
		this.connection = compile(connection);
		this.server = compile(server);
		this.tool = compile(tool);
		this.decision = decision;
	}

	ToolPolicy.Decision decision() {
		return this.decision;
	}

	boolean matches(ToolPolicy.Request request) {
		return matches(this.tenant, request.owner().tenantId()) && matches(this.connection, request.connectionName())
				&& matches(this.server, request.serverHost()) && matches(this.tool, request.toolName());
	}

	private static boolean matches(Pattern pattern, String value) {
		return pattern == null || (value != null && pattern.matcher(value).matches());
	}

	private static Pattern compile(String glob) {
		if (glob == null || glob.isEmpty()) {
			return null;
		}
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
	}

}
