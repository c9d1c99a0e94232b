package dev.mcpconnector.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of mcp-connector.
 */
@ConfigurationProperties("mcp.connector")
public class McpConnectorProperties {

	private final Encryption encryption = new Encryption();

	private final Owner owner = new Owner();

	private final Schema schema = new Schema();

	private final Web web = new Web();

	public Encryption getEncryption() {
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

	/** Encryption of stored secrets. */
	public static class Encryption {

		/**
		 * AES-256 keys by key id, each 32 random bytes in base64 (for example from
		 * 'openssl rand -base64 32'). Key ids may use letters, digits, '.', '_' and '-'. Keep
		 * retired keys here until no stored secret uses them.
		 */
		private Map<String, String> keys = new LinkedHashMap<>();

		/**
		 * Id of the key that encrypts new secrets. May be omitted when exactly one key is
		 * configured.
		 */
		private String activeKeyId;

		public Map<String, String> getKeys() {
			return this.keys;
		}

		public void setKeys(Map<String, String> keys) {
			this.keys = keys;
		}

		public String getActiveKeyId() {
			return this.activeKeyId;
		}

		public void setActiveKeyId(String activeKeyId) {
			this.activeKeyId = activeKeyId;
		}

		@Override
		public String toString() {
			return "Encryption[keyIds=" + this.keys.keySet() + ", activeKeyId=" + this.activeKeyId + "]";
		}

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

	}

}
