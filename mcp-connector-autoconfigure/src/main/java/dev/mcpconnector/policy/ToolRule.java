package dev.mcpconnector.policy;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * One allow/deny/approve rule: every given glob must match ({@code *} and {@code ?},
 * case-insensitive); an absent glob matches everything. The server glob matches the canonical
 * server URL (see {@link ToolPolicy.Rule}), never the user-chosen connection name. The globs are
 * compiled once: rules are checked on every tool call and every listing.
 */
final class ToolRule {

	/** A host whose last label is numeric (or hex) is an address, in some notation: no DNS name ends so. */
	private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)[0-9]+|0x[0-9a-f]*");

	private final Pattern tenant;

	private final Pattern server;

	private final boolean serverUrlGlob;

	private final boolean serverLiteralGlob;

	private final Pattern tool;

	private final ToolPolicy.Decision decision;

	/**
	 * @param tenant the tenant id glob, or {@code null}
	 * @param server the server URL glob (with {@code ://}) or host glob, or {@code null}
	 * @param tool the tool name glob, or {@code null}
	 * @param decision what a match decides
	 */
	ToolRule(String tenant, String server, String tool, ToolPolicy.Decision decision) {
		Assert.notNull(decision, "decision cannot be null");
		this.tenant = compile(tenant);
		this.serverUrlGlob = server != null && server.contains("://");
		String glob = (server != null && !this.serverUrlGlob) ? stripTrailingDots(server) : server;
		this.serverLiteralGlob = glob != null && !this.serverUrlGlob && isAddressLiteral(glob);
		this.server = compile(glob);
		this.tool = compile(tool);
		this.decision = decision;
	}

	ToolPolicy.Decision decision() {
		return this.decision;
	}

	boolean matches(ToolPolicy.Request request) {
		return matches(this.tenant, request.owner().tenantId()) && matchesServer(request.serverUrl())
				&& matches(this.tool, request.toolName());
	}

	private boolean matchesServer(URI serverUrl) {
		if (this.server == null) {
			return true;
		}
		if (serverUrl == null || serverUrl.getHost() == null) {
			return false;
		}
		String host = stripTrailingDots(serverUrl.getHost().toLowerCase(Locale.ROOT));
		if (this.serverUrlGlob) {
			String url = serverUrl.getScheme().toLowerCase(Locale.ROOT) + "://" + host
					+ ((serverUrl.getPort() != -1) ? ":" + serverUrl.getPort() : "")
					+ ((serverUrl.getRawPath() != null) ? serverUrl.getRawPath() : "")
					+ ((serverUrl.getRawQuery() != null) ? "?" + serverUrl.getRawQuery() : "");
			return this.server.matcher(url).matches();
		}
		if (this.server.matcher(host).matches()) {
			return true;
		}
		// An address (or localhost) names no host a rule could: a deny or approval rule on a
		// host still applies to it, so that typing the server's address does not sidestep it.
		return isAddressLiteral(host) && !this.serverLiteralGlob && this.decision != ToolPolicy.Decision.ALLOW;
	}

	static boolean isAddressLiteral(String host) {
		String h = stripTrailingDots(host.toLowerCase(Locale.ROOT));
		if (h.startsWith("[") || h.contains(":") || h.equals("localhost") || h.endsWith(".localhost")) {
			return true;
		}
		int dot = h.lastIndexOf('.');
		return NUMERIC_LABEL.matcher(h.substring(dot + 1)).matches();
	}

	private static String stripTrailingDots(String host) {
		String h = host;
		while (h.endsWith(".")) {
			h = h.substring(0, h.length() - 1);
		}
		return h;
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
