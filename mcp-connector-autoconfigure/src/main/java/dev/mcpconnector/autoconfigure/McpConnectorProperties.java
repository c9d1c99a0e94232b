package dev.mcpconnector.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of mcp-connector.
 */
@ConfigurationProperties("mcp.connector")
public class McpConnectorProperties {

	private final Encryption encryption = new Encryption();

	private final Owner owner = new Owner();

	private final Schema schema = new Schema();

	private final Web web = new Web();

	private final Egress egress = new Egress();

	private final Authorization authorization = new Authorization();

	private final Registration registration = new Registration();

	private final Client client = new Client();

	private final Governance governance = new Governance();

	private final Audit audit = new Audit();

	private final Usage usage = new Usage();

	private final Retention retention = new Retention();

	private final ConnectionCheck connectionCheck = new ConnectionCheck();
	private final SpringAi springAi = new SpringAi();

	private final Gateway gateway = new Gateway();

	public SpringAi getSpringAi() {
		return this.springAi;
	}

	public Gateway getGateway() {
		return this.gateway;
	}

	public Governance getGovernance() {
		return this.governance;
	}

	public Audit getAudit() {
		return this.audit;
	}

	public Usage getUsage() {
		return this.usage;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public ConnectionCheck getConnectionCheck() {
		return this.connectionCheck;
	}

	public Egress getEgress() {
		return this.egress;
	}

	public Authorization getAuthorization() {
		return this.authorization;
	}

	public Registration getRegistration() {
		return this.registration;
	}

	public Client getClient() {
		return this.client;
	}

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

	/** Outbound HTTP: metadata, registration, token, revocation and MCP requests. */
	public static class Egress {

		/**
		 * Whether plain http and loopback addresses are allowed for hosts that resolve only to
		 * loopback. For development and tests only; never enable it in production.
		 */
		private boolean allowInsecureLoopback = false;

		/**
		 * Host names that may resolve to private or internal addresses (for example an
		 * authorization server inside the company network).
		 */
		private Set<String> allowedHosts = new LinkedHashSet<>();

		/** TCP connect timeout. */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/** Timeout of one OAuth or discovery request. */
		private Duration readTimeout = Duration.ofSeconds(10);

		/** Largest response body accepted from an OAuth or discovery request. */
		private DataSize maxResponseSize = DataSize.ofMegabytes(1);

		/** Most redirects followed when fetching metadata; each hop is checked again. */
		private int maxRedirects = 3;

		public boolean isAllowInsecureLoopback() {
			return this.allowInsecureLoopback;
		}

		public void setAllowInsecureLoopback(boolean allowInsecureLoopback) {
			this.allowInsecureLoopback = allowInsecureLoopback;
		}

		public Set<String> getAllowedHosts() {
			return this.allowedHosts;
		}

		public void setAllowedHosts(Set<String> allowedHosts) {
			this.allowedHosts = allowedHosts;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public int getMaxRedirects() {
			return this.maxRedirects;
		}

		public void setMaxRedirects(int maxRedirects) {
			this.maxRedirects = maxRedirects;
		}

	}

	/** The OAuth authorization flow with each MCP server's authorization server. */
	public static class Authorization {

		/**
		 * Absolute callback URL registered with authorization servers. When unset it is derived
		 * from each connect request as '{base-path}/oauth/callback' on the request's origin.
		 */
		private URI redirectUri;

		/** How long an authorization request may take from redirect to callback (at most 10 minutes). */
		private Duration stateLifetime = Duration.ofMinutes(10);

		/** How long before its expiry an access token is refreshed. */
		private Duration refreshSkew = Duration.ofSeconds(30);

		/** Where the browser goes after the callback when the request named no valid return path. */
		private String defaultReturnTo = "/";

		/**
		 * Issuers allowed to omit 'code_challenge_methods_supported' from their metadata (PKCE
		 * S256 is still used). Each use is logged.
		 */
		private Set<String> issuersWithoutPkceMetadata = new LinkedHashSet<>();

		/**
		 * Whether to ask authorization servers that are OpenID providers for an ID token (scope
		 * 'openid', plus 'profile' and 'email' when listed, with a nonce), check it and show the
		 * remote account each connection is signed in as.
		 */
		private boolean openIdConnect = true;

		/** How far an ID token's 'exp' and 'iat' may be off the local clock (at most 5 minutes). */
		private Duration idTokenClockSkew = Duration.ofSeconds(60);

		public boolean isOpenIdConnect() {
			return this.openIdConnect;
		}

		public void setOpenIdConnect(boolean openIdConnect) {
			this.openIdConnect = openIdConnect;
		}

		public Duration getIdTokenClockSkew() {
			return this.idTokenClockSkew;
		}

		public void setIdTokenClockSkew(Duration idTokenClockSkew) {
			this.idTokenClockSkew = idTokenClockSkew;
		}

		public URI getRedirectUri() {
			return this.redirectUri;
		}

		public void setRedirectUri(URI redirectUri) {
			this.redirectUri = redirectUri;
		}

		public Duration getStateLifetime() {
			return this.stateLifetime;
		}

		public void setStateLifetime(Duration stateLifetime) {
			this.stateLifetime = stateLifetime;
		}

		public Duration getRefreshSkew() {
			return this.refreshSkew;
		}

		public void setRefreshSkew(Duration refreshSkew) {
			this.refreshSkew = refreshSkew;
		}

		public String getDefaultReturnTo() {
			return this.defaultReturnTo;
		}

		public void setDefaultReturnTo(String defaultReturnTo) {
			this.defaultReturnTo = defaultReturnTo;
		}

		public Set<String> getIssuersWithoutPkceMetadata() {
			return this.issuersWithoutPkceMetadata;
		}

		public void setIssuersWithoutPkceMetadata(Set<String> issuersWithoutPkceMetadata) {
			this.issuersWithoutPkceMetadata = issuersWithoutPkceMetadata;
		}

	}

	/** The application's client identity at authorization servers. */
	public static class Registration {

		/** Client name sent in dynamic registrations and the client ID metadata document. */
		private String clientName = "mcp-connector";

		/**
		 * HTTPS URL at which this application serves its client ID metadata document (the path
		 * '{base-path}/oauth/client-metadata.json'); used as client id where supported.
		 */
		private URI clientMetadataDocumentUrl;

		/** Pre-registered clients, by a name of your choice. */
		private Map<String, PreRegistered> clients = new LinkedHashMap<>();

		public String getClientName() {
			return this.clientName;
		}

		public void setClientName(String clientName) {
			this.clientName = clientName;
		}

		public URI getClientMetadataDocumentUrl() {
			return this.clientMetadataDocumentUrl;
		}

		public void setClientMetadataDocumentUrl(URI clientMetadataDocumentUrl) {
			this.clientMetadataDocumentUrl = clientMetadataDocumentUrl;
		}

		public Map<String, PreRegistered> getClients() {
			return this.clients;
		}

		public void setClients(Map<String, PreRegistered> clients) {
			this.clients = clients;
		}

	}

	/** A client registered by hand with one authorization server. */
	public static class PreRegistered {

		/** Exact issuer identifier of the authorization server these credentials belong to. */
		private String issuer;

		/** Client id. */
		private String clientId;

		/** Client secret, for client_secret_basic or client_secret_post. */
		private String clientSecret;

		/**
		 * Token endpoint authentication method: none, client_secret_basic, client_secret_post or
		 * private_key_jwt. Defaults to private_key_jwt with a private key, client_secret_basic
		 * with a secret, none otherwise.
		 */
		private String authenticationMethod;

		/** PKCS#8 PEM private key (EC or RSA) for private_key_jwt. */
		private String privateKey;

		/** Key id to put in the client assertion's header, for private_key_jwt. */
		private String keyId;

		/** JWS algorithm of the client assertion (ES256, RS256, ...); from the key type when unset. */
		private String signingAlgorithm;

		public String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(String privateKey) {
			this.privateKey = privateKey;
		}

		public String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(String keyId) {
			this.keyId = keyId;
		}

		public String getSigningAlgorithm() {
			return this.signingAlgorithm;
		}

		public void setSigningAlgorithm(String signingAlgorithm) {
			this.signingAlgorithm = signingAlgorithm;
		}

		public String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(String issuer) {
			this.issuer = issuer;
		}

		public String getClientId() {
			return this.clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public String getAuthenticationMethod() {
			return this.authenticationMethod;
		}

		public void setAuthenticationMethod(String authenticationMethod) {
			this.authenticationMethod = authenticationMethod;
		}

		@Override
		public String toString() {
			return "PreRegistered[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret="
					+ ((this.clientSecret != null) ? "[REDACTED]" : "none") + ", privateKey="
					+ ((this.privateKey != null) ? "[REDACTED]" : "none") + "]";
		}

	}

	/** Sessions with MCP servers. */
	public static class Client {

		/** Client name sent in MCP initialize requests. */
		private String name = "mcp-connector";

		/** Client version sent in MCP initialize requests. */
		private String version = "0.1.0";

		/** TCP connect timeout to MCP servers. */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/** How long one MCP request (a tool call, say) may take. */
		private Duration requestTimeout = Duration.ofSeconds(30);

		/** Most pooled sessions (one per user and connection); the least recently used is closed beyond it. */
		private int maxSessions = 1000;

		/** A pooled session unused this long is closed. */
		private Duration idleTimeout = Duration.ofMinutes(10);

		/** Largest MCP response accepted from a server. */
		private DataSize maxResponseSize = DataSize.ofMegabytes(16);

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getVersion() {
			return this.version;
		}

		public void setVersion(String version) {
			this.version = version;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}


	/** Tool policies and human approvals. */
	public static class Governance {

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

		/** One rule: every given glob must match; the action decides. */
		public static class Rule {

			/** Tenant id glob ('*' and '?'); any tenant when empty. */
			private String tenant;

			/** Connection name glob; any connection when empty. */
			private String connection;

			/** MCP server host glob; any server when empty. */
			private String server;

			/** Tool name glob; any tool when empty. */
			private String tool;

			/** What a match decides: allow, deny or approve. */
			private String action = "allow";

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

			public String getAction() {
				return this.action;
			}

			public void setAction(String action) {
				this.action = action;
			}

		}

		/** Rate limits of tool calls, held across all instances in the shared database. */
		public static class RateLimits {

			/** Limit of all tool calls of one user, over all their connections and tools. */
			private final Limit perUser = new Limit();

			/** Limit of one user's tool calls through one connection. */
			private final Limit perConnection = new Limit();

			/** Limit of one user's calls of one tool on one connection. */
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

			public dev.mcpconnector.ratelimit.RateLimits toRateLimits() {
				return new dev.mcpconnector.ratelimit.RateLimits(this.perUser.toRateLimit(),
						this.perConnection.toRateLimit(), this.perTool.toRateLimit());
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

			dev.mcpconnector.ratelimit.RateLimit toRateLimit() {
				return (this.capacity != null) ? dev.mcpconnector.ratelimit.RateLimit.of(this.capacity, this.period) : null;
			}

		}

		/** Human approvals of tool calls. */
		public static class Approval {

			/** Whether tools the server marks destructive (destructiveHint) need an approval per call. */
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

		}

	}


	/**
	 * The audit log of connects, authorizations, refresh failures, revocations, tool calls and
	 * approval decisions.
	 */
	public static class Audit {

		/** Whether to write audit events to the mcp_audit_event table, asynchronously and in batches. */
		private boolean enabled = true;

		/** Most audit events waiting in memory to be written; further events are dropped and counted. */
		private int queueCapacity = 100_000;

		/** Most audit events written in one transaction. */
		private int batchSize = 500;

		/** Longest an audit event waits in memory for others to share its batch. */
		private Duration maxDelay = Duration.ofMillis(200);

		/** Longest a graceful shutdown waits for the writer to drain the queue before draining the rest itself. */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/** Authority that may read every user's audit events and usage (scope=tenant or scope=all). */
		private String adminAuthority = "ROLE_MCP_ADMIN";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public String getAdminAuthority() {
			return this.adminAuthority;
		}

		public void setAdminAuthority(String adminAuthority) {
			this.adminAuthority = adminAuthority;
		}

	}

	/** Usage derived from the audit log's tool calls. */
	public static class Usage {

		/** Time zone of the days that usage is counted by. */
		private java.time.ZoneId timeZone = java.time.ZoneOffset.UTC;

		public java.time.ZoneId getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(java.time.ZoneId timeZone) {
			this.timeZone = timeZone;
		}

	}

	/** Scheduled clean-up of old and expired rows; safe with several instances. */
	public static class Retention {

		/** Whether to delete old audit events and expired pending authorizations on a schedule. */
		private boolean enabled = true;

		/** How long audit events (and so usage) are kept; 0 keeps them for ever. */
		private Duration audit = Duration.ofDays(90);

		/** Time between two clean-ups. */
		private Duration interval = Duration.ofHours(1);

		/** Most rows one delete statement removes. */
		private int batchSize = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getAudit() {
			return this.audit;
		}

		public void setAudit(Duration audit) {
			this.audit = audit;
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

	}

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

	}

}
