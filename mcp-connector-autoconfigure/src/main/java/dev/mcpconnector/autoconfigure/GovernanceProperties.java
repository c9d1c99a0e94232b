package dev.mcpconnector.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Tool policies, human approvals and rate limits of tool calls
 * ({@code mcp.connector.governance.*}).
 */
class GovernanceProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".governance";

	/** Allow, deny and approval rules for tools; the first match wins. */
	private List<Rule> rules = new ArrayList<>();

	private final Approval approval = new Approval();

	/** Rate limits of tool calls, held across all instances in the shared database. */
	private final RateLimits rateLimits = new RateLimits();

	public RateLimits getRateLimits() {
		return this.rateLimits;
	}

	public List<Rule> getRules() {
		return this.rules;
	}

	public void setRules(List<Rule> rules) {
		this.rules = rules;
	}

	public Approval getApproval() {
		return this.approval;
	}

	void validate() {
		for (int i = 0; i < this.rules.size(); i++) {
			if (this.rules.get(i).getAction() == null) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".rules[" + i + "].action",
						"must be allow, deny or approve");
			}
			String connection = this.rules.get(i).getConnection();
			if (connection != null && !connection.isEmpty()) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".rules[" + i + "].connection",
						"is no longer supported: it matched the connection's name, which its user chooses and can"
								+ " change to sidestep the rule; use " + PREFIX + ".rules[" + i
								+ "].server, a glob on the canonical server URL or host");
			}
		}
		this.approval.validate(PREFIX + ".approval");
		this.rateLimits.perUser.validate(PREFIX + ".rate-limits.per-user");
		this.rateLimits.perConnection.validate(PREFIX + ".rate-limits.per-connection");
		this.rateLimits.perTool.validate(PREFIX + ".rate-limits.per-tool");
	}

	/** What a matching rule decides. */
	public enum Action {

		/** The call goes ahead. */
		ALLOW,

		/** The call is refused. */
		DENY,

		/** The call waits for a human approval. */
		APPROVE

	}

	/** One rule: every given glob must match; the action decides. */
	public static class Rule {

		/** Tenant id glob ('*' and '?'); any tenant when empty. */
		private String tenant;

		/**
		 * No longer supported: a connection's name is its user's choice, so a rule keyed on it
		 * is one rename away from not applying; setting it fails start-up. Use server.
		 */
		private String connection;

		/**
		 * MCP server glob on the canonical server URL: with '://' the whole URL
		 * ('https://mcp.example.com/*'), otherwise its host ('*.example.com'); any server when
		 * empty. A server typed as an IP address or localhost is matched by deny and approve
		 * rules on a host too.
		 */
		private String server;

		/** Tool name glob; any tool when empty. */
		private String tool;

		/** What a match decides: allow, deny or approve. */
		private Action action = Action.ALLOW;

		public String getTenant() {
			return this.tenant;
		}

		public void setTenant(String tenant) {
			this.tenant = tenant;
		}

		public String getConnection() {
			return this.connection;
		}

		public void setConnection(String connection) {
			this.connection = connection;
		}

		public String getServer() {
			return this.server;
		}

		public void setServer(String server) {
			this.server = server;
		}

		public String getTool() {
			return this.tool;
		}

		public void setTool(String tool) {
			this.tool = tool;
		}

		public Action getAction() {
			return this.action;
		}

		public void setAction(Action action) {
			this.action = action;
		}

	}

	/** Rate limits of tool calls, held across all instances in the shared database. */
	public static class RateLimits {

		/** Limit of all tool calls of one user, over all their connections and tools. */
		@NestedConfigurationProperty
		private final Limit perUser = new Limit();

		/** Limit of one user's tool calls through one connection. */
		@NestedConfigurationProperty
		private final Limit perConnection = new Limit();

		/** Limit of one user's calls of one tool on one connection. */
		@NestedConfigurationProperty
		private final Limit perTool = new Limit();

		public Limit getPerUser() {
			return this.perUser;
		}

		public Limit getPerConnection() {
			return this.perConnection;
		}

		public Limit getPerTool() {
			return this.perTool;
		}

	}

	/** One rate limit: at most {@code capacity} calls per {@code period}. */
	public static class Limit {

		/** Calls allowed per period; no limit when unset. */
		private Long capacity;

		/** Length of the window; once it has passed, the whole capacity is available again. */
		private Duration period = Duration.ofMinutes(1);

		public Long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(Long capacity) {
			this.capacity = capacity;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		void validate(String prefix) {
			if (this.capacity != null) {
				PropertyChecks.positive(prefix + ".capacity", this.capacity);
			}
			PropertyChecks.positive(prefix + ".period", this.period);
		}

	}

	/** Human approvals of tool calls. */
	public static class Approval {

		/**
		 * Whether tools that may be destructive need an approval per call: by the spec's defaults,
		 * every tool that is not readOnlyHint and does not say destructiveHint false.
		 */
		private boolean destructiveTools = false;

		/** How long an approval request stays usable. */
		private Duration lifetime = Duration.ofMinutes(15);

		/**
		 * How long a call waits for a decision before it returns with the request id; zero
		 * returns at once.
		 */
		private Duration maxWait = Duration.ZERO;

		/** Authority that may see and decide every approval of its tenant; owners decide their own. */
		private String approverAuthority;

		public boolean isDestructiveTools() {
			return this.destructiveTools;
		}

		public void setDestructiveTools(boolean destructiveTools) {
			this.destructiveTools = destructiveTools;
		}

		public Duration getLifetime() {
			return this.lifetime;
		}

		public void setLifetime(Duration lifetime) {
			this.lifetime = lifetime;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public String getApproverAuthority() {
			return this.approverAuthority;
		}

		public void setApproverAuthority(String approverAuthority) {
			this.approverAuthority = approverAuthority;
		}

		void validate(String prefix) {
			PropertyChecks.positive(prefix + ".lifetime", this.lifetime);
			PropertyChecks.notNegative(prefix + ".max-wait", this.maxWait);
		}

	}

}
