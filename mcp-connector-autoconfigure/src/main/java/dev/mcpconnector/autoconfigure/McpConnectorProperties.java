package dev.mcpconnector.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.StringUtils;

/**
 * Configuration of mcp-connector ({@code mcp.connector.*}). Each area has its own class; every
 * value is checked when the properties are bound, and a value that cannot work stops the
 * application with a message that names the property.
 */
@ConfigurationProperties(McpConnectorProperties.PREFIX)
public class McpConnectorProperties implements InitializingBean {

	static final String PREFIX = "mcp.connector";

	@NestedConfigurationProperty
	private final EncryptionProperties encryption = new EncryptionProperties();

	private final Owner owner = new Owner();

	private final Schema schema = new Schema();

	private final Web web = new Web();

	@NestedConfigurationProperty
	private final EgressProperties egress = new EgressProperties();

	@NestedConfigurationProperty
	private final AuthorizationProperties authorization = new AuthorizationProperties();

	@NestedConfigurationProperty
	private final RegistrationProperties registration = new RegistrationProperties();

	@NestedConfigurationProperty
	private final ClientProperties client = new ClientProperties();

	@NestedConfigurationProperty
	private final GovernanceProperties governance = new GovernanceProperties();

	@NestedConfigurationProperty
	private final AuditProperties audit = new AuditProperties();

	private final Usage usage = new Usage();

	@NestedConfigurationProperty
	private final RetentionProperties retention = new RetentionProperties();

	private final ConnectionCheck connectionCheck = new ConnectionCheck();

	private final SpringAi springAi = new SpringAi();

	private final Gateway gateway = new Gateway();

	public EncryptionProperties getEncryption() {
		return this.encryption;
	}

	public Owner getOwner() {
		return this.owner;
	}

	public Schema getSchema() {
		return this.schema;
	}

	public Web getWeb() {
		return this.web;
	}

	public EgressProperties getEgress() {
		return this.egress;
	}

	public AuthorizationProperties getAuthorization() {
		return this.authorization;
	}

	public RegistrationProperties getRegistration() {
		return this.registration;
	}

	public ClientProperties getClient() {
		return this.client;
	}

	public GovernanceProperties getGovernance() {
		return this.governance;
	}

	public AuditProperties getAudit() {
		return this.audit;
	}

	public Usage getUsage() {
		return this.usage;
	}

	public RetentionProperties getRetention() {
		return this.retention;
	}

	public ConnectionCheck getConnectionCheck() {
		return this.connectionCheck;
	}

	public SpringAi getSpringAi() {
		return this.springAi;
	}

	public Gateway getGateway() {
		return this.gateway;
	}

	@Override
	public void afterPropertiesSet() {
		validate();
	}

	/**
	 * Check every area.
	 * @throws IllegalStateException naming the first invalid property
	 */
	public void validate() {
		this.encryption.validate();
		this.schema.validate();
		this.web.validate();
		this.egress.validate();
		this.authorization.validate();
		this.registration.validate();
		this.client.validate();
		this.governance.validate();
		this.audit.validate();
		PropertyChecks.notNull(PREFIX + ".usage.time-zone", this.usage.getTimeZone());
		this.retention.validate();
		this.connectionCheck.validate();
		PropertyChecks.hasText(PREFIX + ".gateway.server-name", this.gateway.getServerName());
	}

	/** How the owner of a connection is derived from the authenticated user. */
	public static class Owner {

		/**
		 * Tenant id the default owner resolver assigns to every user. Leave empty for a
		 * single-tenant application; define an OwnerResolver bean to derive the tenant from
		 * the user.
		 */
		private String tenantId = "";

		public String getTenantId() {
			return this.tenantId;
		}

		public void setTenantId(String tenantId) {
			this.tenantId = tenantId;
		}

	}

	/** mcp-connector's own database schema migrations. */
	public static class Schema {

		/**
		 * Whether to apply mcp-connector's Flyway migrations at start-up, separately from the
		 * application's own migrations.
		 */
		private boolean migrate = true;

		/** Name of the Flyway history table of mcp-connector's migrations. */
		private String historyTable = "mcp_connector_schema_history";

		/** Database schema for mcp-connector's tables; the connection's default when empty. */
		private String name;

		public boolean isMigrate() {
			return this.migrate;
		}

		public void setMigrate(boolean migrate) {
			this.migrate = migrate;
		}

		public String getHistoryTable() {
			return this.historyTable;
		}

		public void setHistoryTable(String historyTable) {
			this.historyTable = historyTable;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		void validate() {
			PropertyChecks.hasText(PREFIX + ".schema.history-table", this.historyTable);
			PropertyChecks.sqlIdentifier(PREFIX + ".schema.history-table", this.historyTable);
			if (StringUtils.hasText(this.name)) {
				try {
					// the one place that knows which schema names work
					McpConnectorTables.inSchema(this.name);
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidMcpConnectorPropertyException(PREFIX + ".schema.name",
							"must be a lower-case identifier of letters, digits and '_' (at most 63) other than the"
									+ " reserved 'mcp_connector_entity_schema', but was '" + this.name + "'");
				}
			}
		}

	}

	/** The REST API for a frontend. */
	public static class Web {

		/** Whether to expose the REST API in a servlet web application. */
		private boolean enabled = true;

		/** Base path of the REST API. */
		private String basePath = "/api/mcp";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		void validate() {
			if (this.basePath == null || !this.basePath.startsWith("/") || this.basePath.endsWith("/")) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".web.base-path",
						"must start with '/' and not end with '/' (for example /api/mcp), but was '" + this.basePath
								+ "'");
			}
		}

	}

	/** Usage derived from the audit log's tool calls. */
	public static class Usage {

		/** Time zone of the days that usage is counted by. */
		private ZoneId timeZone = ZoneOffset.UTC;

		public ZoneId getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(ZoneId timeZone) {
			this.timeZone = timeZone;
		}

	}

	/** Scheduled checks of connections nobody used lately. */
	public static class ConnectionCheck {

		/**
		 * Whether to check, on a schedule, connections nobody used lately (ping, token, tool
		 * count) and update their status.
		 */
		private boolean enabled = false;

		/** Time between two runs, and the least time between two checks of one connection. */
		private Duration interval = Duration.ofMinutes(15);

		/** Most connections one run checks. */
		private int batchSize = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		void validate() {
			PropertyChecks.positive(PREFIX + ".connection-check.interval", this.interval);
			PropertyChecks.positive(PREFIX + ".connection-check.batch-size", this.batchSize);
		}

	}

	/** The current user's tools as Spring AI tool callbacks. */
	public static class SpringAi {

		/**
		 * Whether to define the McpToolCallbacks bean (the current user's tools as Spring AI
		 * tool callbacks) when Spring AI is on the classpath.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** One MCP server endpoint with the authenticated user's connected tools. */
	public static class Gateway {

		/**
		 * Whether to serve the authenticated user's connected tools as one MCP server
		 * (Streamable HTTP) at '{web.base-path}/gateway/mcp', behind the application's own
		 * authentication.
		 */
		private boolean enabled = false;

		/**
		 * Origins allowed to call the gateway from a browser. Requests carrying another
		 * 'Origin' header are refused with 403; requests without one (MCP clients outside a
		 * browser) are not affected.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/** Name the gateway gives itself in its MCP initialize response. */
		private String serverName = "mcp-connector-gateway";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public String getServerName() {
			return this.serverName;
		}

		public void setServerName(String serverName) {
			this.serverName = serverName;
		}

	}

}
