package dev.mcpconnector.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One allow/deny/approve rule: every given pattern must match (globs with {@code *} and
 * {@code ?}, case-insensitive); an absent pattern matches everything.
 *
 * @param tenant the tenant id glob, or {@code null}
 * @param connection the connection name glob, or {@code null}
 * @param server the server host glob, or {@code null}
 * @param tool the tool name glob, or {@code null}
 * @param decision what a match decides
 */
public record ToolRule(String tenant, String connection, String server, String tool, ToolDecision decision) {

	public boolean matches(ToolPolicyRequest request) {
		return glob(this.tenant, request.owner().tenantId()) && glob(this.connection, request.connectionName())
				&& glob(this.server, request.serverHost()) && glob(this.tool, request.toolName());
	}

	static boolean glob(String pattern, String value) {
		if (pattern == null || pattern.isEmpty()) {
			return true;
		}
		if (value == null) {
			return false;
		}
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return value.toLowerCase(Locale.ROOT).matches(regex.toString());
	}

}
