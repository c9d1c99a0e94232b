package dev.mcpconnector.policy;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;

/**
 * Decides whether a user may use a tool of one of their connections: allowed, denied (neither
 * listed nor callable), or allowed only after a human approves each call. Replace the bean to
 * decide from the application's own roles; the default reads rules from properties.
 */
@FunctionalInterface
public interface ToolPolicy {

	/**
	 * Decide.
	 * @param request the tool and who wants it
	 * @return the decision, never {@code null}
	 */
	Decision decide(Request request);

	/**
	 * Whether {@link #decide} reads the tool's definition ({@link Request#tool()}, its
	 * annotations). When neither the policy nor an interceptor needs it, the first call of a
	 * session skips listing the server's tools (one round trip). The default says yes.
	 * @return whether the definition is needed
	 */
	default boolean needsToolDefinition() {
		return true;
	}

	/**
	 * The policy the auto-configuration builds from {@code mcp.connector.governance.rules}: the
	 * first matching rule decides; without a match, tools that may be destructive (by the
	 * spec's annotation defaults, see {@link Request#isDestructive()}) need approval when
	 * {@code approveDestructiveTools} says so, and everything else is allowed.
	 * @param rules the rules, in order of precedence
	 * @param approveDestructiveTools whether an unmatched destructive tool needs approval
	 * @return the policy
	 */
	static ToolPolicy rules(List<Rule> rules, boolean approveDestructiveTools) {
		Assert.notNull(rules, "rules cannot be null");
		return new RuleBasedToolPolicy(rules.stream()
			.map((rule) -> new ToolRule(rule.tenant(), rule.server(), rule.tool(), rule.decision()))
			.toList(), approveDestructiveTools);
	}

	/**
	 * One allow/deny/approve rule of {@link #rules}: every given glob must match ({@code *} and
	 * {@code ?}, case-insensitive); an absent or empty glob matches everything. The server glob
	 * matches the connection's canonical server URL: a glob with {@code ://} the whole URL
	 * ({@code https://mcp.example.com/*}), any other its host ({@code *.example.com}), trailing
	 * dots, case, default ports and user info canonicalized away. A server named by an IP
	 * literal (or {@code localhost}) is matched by a host glob only when the glob names that
	 * literal, except by deny and approval rules, which it cannot sidestep: they match it too.
	 *
	 * @param tenant the tenant id glob, or {@code null}
	 * @param connection no longer supported, must be {@code null} or empty: a connection's name
	 * is its user's choice, so a rule keyed on it is one rename away from not applying
	 * @param server the server URL or host glob, or {@code null}
	 * @param tool the tool name glob, or {@code null}
	 * @param decision what a match decides
	 */
	record Rule(String tenant, String connection, String server, String tool, Decision decision) {

		/**
		 * Checks the decision.
		 * @param tenant the tenant id glob, or {@code null}
		 * @param connection must be {@code null} or empty
		 * @param server the server URL or host glob, or {@code null}
		 * @param tool the tool name glob, or {@code null}
		 * @param decision what a match decides
		 */
		public Rule {
			Assert.notNull(decision, "decision cannot be null");
			Assert.isTrue(connection == null || connection.isEmpty(),
					"connection globs are not supported: the name is the user's choice; match the server URL");
		}

		/**
		 * A rule on tenant, server and tool.
		 * @param tenant the tenant id glob, or {@code null}
		 * @param server the server URL or host glob, or {@code null}
		 * @param tool the tool name glob, or {@code null}
		 * @param decision what a match decides
		 */
		public Rule(String tenant, String server, String tool, Decision decision) {
			this(tenant, null, server, tool, decision);
		}

	}

	/** A policy's answer for one tool. */
	enum Decision {

		/** Listed and callable. */
		ALLOW,

		/** Neither listed nor callable. */
		DENY,

		/** Listed; each call needs a human approval bound to its arguments. */
		REQUIRE_APPROVAL;

		/** The lower-case name used in audit events and metrics. */
		public String label() {
			return switch (this) {
				case ALLOW -> "allow";
				case DENY -> "deny";
				case REQUIRE_APPROVAL -> "approval";
			};
		}

	}

	/**
	 * What a policy decides about.
	 *
	 * @param owner the user
	 * @param connectionId the connection
	 * @param connectionName the connection's display name: the user's choice, so never a reason
	 * to allow or deny
	 * @param serverHost the MCP server's host
	 * @param toolName the tool's name
	 * @param tool the tool as the server describes it (with its annotations), or {@code null}
	 * @param serverUrl the canonical URL of the MCP server, or {@code null}
	 */
	record Request(McpOwner owner, UUID connectionId, String connectionName, String serverHost,
			String toolName, McpSchema.Tool tool, URI serverUrl) {

		/**
		 * A request whose canonical server URL is unknown (server rules do not match it).
		 * @param owner the user
		 * @param connectionId the connection
		 * @param connectionName the connection's display name
		 * @param serverHost the MCP server's host
		 * @param toolName the tool's name
		 * @param tool the tool, or {@code null}
		 */
		public Request(McpOwner owner, UUID connectionId, String connectionName, String serverHost, String toolName,
				McpSchema.Tool tool) {
			this(owner, connectionId, connectionName, serverHost, toolName, tool, null);
		}

		/**
		 * Whether the tool may be destructive, by the MCP spec's defaults: a tool that is not
		 * {@code readOnlyHint: true} is destructive unless it says {@code destructiveHint: false};
		 * without annotations, or without a definition, it is.
		 * @return whether the tool may be destructive
		 */
		public boolean isDestructive() {
			if (this.tool == null || this.tool.annotations() == null) {
				return true;
			}
			McpSchema.ToolAnnotations annotations = this.tool.annotations();
			return !Boolean.TRUE.equals(annotations.readOnlyHint())
					&& !Boolean.FALSE.equals(annotations.destructiveHint());
		}

	}

}
