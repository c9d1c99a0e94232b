package dev.mcpconnector.jpa;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The one place that knows mcp-connector's table names and the schema they live in
 * ({@code mcp.connector.schema.name}). Every piece of SQL of the starter, JPA and JDBC alike,
 * takes its table names from here, and the entities are moved to the same schema by
 * {@link #applyTo(Map)}; the host's own tables stay where they are.
 * <p>
 * The schema is an unquoted PostgreSQL identifier (lower-case letters, digits and
 * underscores), so that a qualified name can be put into SQL as it is. Without a schema the
 * names are unqualified and resolve through the connection's {@code search_path}, as Flyway's
 * migrations did.
 */
public final class McpConnectorTables {

	/** Connections. */
	public static final String CONNECTION = "mcp_connection";

	/** Encrypted tokens of a connection. */
	public static final String CREDENTIALS = "mcp_connection_credentials";

	/** OAuth clients by issuer. */
	public static final String CLIENT_REGISTRATION = "mcp_client_registration";

	/** Authorization requests waiting for their callback. */
	public static final String PENDING_AUTHORIZATION = "mcp_pending_authorization";

	/** Tool-call approvals. */
	public static final String APPROVAL = "mcp_approval";

	/** The audit log (usage is derived from it). */
	public static final String AUDIT_EVENT = "mcp_audit_event";

	/** Rate-limit buckets. */
	public static final String RATE_LIMIT_BUCKET = "mcp_rate_limit_bucket";

	/** Gateway tokens (their hashes). */
	public static final String GATEWAY_TOKEN = "mcp_gateway_token";

	/**
	 * The logical schema every entity of this package names in its {@code @Table}; the
	 * naming strategy of {@link #applyTo(Map)} turns it into the configured schema (or into the
	 * default one). Never used as a real schema name.
	 */
	static final String ENTITY_SCHEMA = "mcp_connector_entity_schema";

	private static final List<String> ALL = List.of(CONNECTION, CREDENTIALS, CLIENT_REGISTRATION,
			PENDING_AUTHORIZATION, APPROVAL, AUDIT_EVENT, RATE_LIMIT_BUCKET, GATEWAY_TOKEN);

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final McpConnectorTables DEFAULT = new McpConnectorTables(null);

	private final String schema;

	private McpConnectorTables(String schema) {
		this.schema = schema;
	}

	/**
	 * The tables in the connection's default schema.
	 * @return the tables
	 */
	public static McpConnectorTables inDefaultSchema() {
		return DEFAULT;
	}

	/**
	 * The tables in a schema.
	 * @param schema the schema, or {@code null} or empty for the connection's default
	 * @return the tables
	 * @throws IllegalArgumentException if the schema is not a lower-case unquoted identifier
	 */
	public static McpConnectorTables inSchema(String schema) {
		if (!StringUtils.hasText(schema)) {
			return DEFAULT;
		}
		Assert.isTrue(IDENTIFIER.matcher(schema).matches(), () -> "mcp.connector.schema.name must be a lower-case"
				+ " identifier of letters, digits and underscores, but was '" + schema + "'");
		Assert.isTrue(!ENTITY_SCHEMA.equals(schema), () -> "'" + ENTITY_SCHEMA + "' is reserved");
		return new McpConnectorTables(schema);
	}

	/**
	 * The schema of the tables.
	 * @return the schema, or {@code null} for the connection's default
	 */
	public String schema() {
		return this.schema;
	}

	/**
	 * Every table of mcp-connector, unqualified.
	 * @return the table names
	 */
	public static List<String> names() {
		return ALL;
	}

	/**
	 * A table's name as SQL uses it.
	 * @param table one of the names of this class
	 * @return {@code schema.table}, or {@code table} without a schema
	 */
	public String qualify(String table) {
		Assert.isTrue(ALL.contains(table), () -> "Not a table of mcp-connector: " + table);
		return (this.schema != null) ? this.schema + "." + table : table;
	}

	/**
	 * The connections table, qualified.
	 * @return its name
	 */
	public String connection() {
		return qualify(CONNECTION);
	}

	/**
	 * The credentials table, qualified.
	 * @return its name
	 */
	public String credentials() {
		return qualify(CREDENTIALS);
	}

	/**
	 * The client registrations table, qualified.
	 * @return its name
	 */
	public String clientRegistration() {
		return qualify(CLIENT_REGISTRATION);
	}

	/**
	 * The pending authorizations table, qualified.
	 * @return its name
	 */
	public String pendingAuthorization() {
		return qualify(PENDING_AUTHORIZATION);
	}

	/**
	 * The audit table, qualified.
	 * @return its name
	 */
	public String auditEvent() {
		return qualify(AUDIT_EVENT);
	}

	/**
	 * The rate-limit buckets table, qualified.
	 * @return its name
	 */
	public String rateLimitBucket() {
		return qualify(RATE_LIMIT_BUCKET);
	}

	/**
	 * The gateway tokens table, qualified.
	 * @return its name
	 */
	public String gatewayToken() {
		return qualify(GATEWAY_TOKEN);
	}

	/**
	 * Put mcp-connector's entities into this schema: wraps the physical naming strategy of a
	 * map of Hibernate properties ({@code hibernate.physical_naming_strategy}: an instance, a
	 * class or a class name; Hibernate's standard one when absent) in one that maps the schema
	 * of this package's entities and hands every other name to the wrapped strategy, so the
	 * host's own entities stay where they are. Spring Boot's entity manager factory gets this
	 * through a {@code HibernatePropertiesCustomizer} that the entity scan registers; an
	 * application that builds its own entity manager factory calls it on its JPA properties.
	 * @param hibernateProperties the properties of the entity manager factory, changed in place
	 */
	public void applyTo(Map<String, Object> hibernateProperties) {
		Assert.notNull(hibernateProperties, "hibernateProperties cannot be null");
		SchemaNamingStrategy.install(hibernateProperties, this.schema);
	}

	/**
	 * Runs mcp-connector's own Flyway migrations into this schema, from their own location
	 * ({@code classpath:META-INF/mcp-connector/migration}, outside any default Flyway location,
	 * with standard Flyway file names) and into their own history table, next to whatever the host
	 * migrates. Define it as a bean that the entity manager factory depends on: it migrates
	 * once, when the bean is initialized. Needs Flyway on the class path.
	 * @param dataSource the database
	 * @param historyTable the name of the migration history table
	 * @return the migrator
	 */
	public InitializingBean migrator(DataSource dataSource, String historyTable) {
		return new McpConnectorSchemaMigrator(dataSource, historyTable, this.schema);
	}

	@Override
	public String toString() {
		return "McpConnectorTables[schema=" + ((this.schema != null) ? this.schema : "(default)") + "]";
	}

}
