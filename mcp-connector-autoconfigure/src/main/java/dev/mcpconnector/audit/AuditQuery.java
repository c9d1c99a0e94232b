package dev.mcpconnector.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Reads the audit table, newest first. When the database cannot be reached, its methods throw
 * {@link StorageUnavailableException}. {@link #forOwner} is what a user may see; the tenant and
 * everything variants are for administrators, and the caller decides who is one.
 */
public class AuditQuery {

	/** Largest page size; larger limits are lowered to it. */
	public static final int MAX_LIMIT = 1000;

	private final JdbcClient jdbc;

	private final String columns;

	/**
	 * Reads the audit table in the connection's default schema.
	 * @param dataSource where {@code mcp_audit_event} lives
	 */
	public AuditQuery(DataSource dataSource) {
		this(dataSource, McpConnectorTables.inDefaultSchema());
	}

	/**
	 * Reads the audit table.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @param tables the schema of mcp-connector's tables
	 */
	public AuditQuery(DataSource dataSource, McpConnectorTables tables) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.columns = "select id, occurred_at, tenant_id, owner_id, type, connection_id, tool, outcome, decision,"
				+ " latency_ms, detail, actor from " + tables.auditEvent();
	}

	/**
	 * The events of one owner.
	 * @param owner the owner
	 * @param type only events of this type, or {@code null} for all
	 * @param limit page size (1 to {@value #MAX_LIMIT})
	 * @param offset rows to skip
	 * @return the events, newest first
	 */
	public List<Row> forOwner(McpOwner owner, AuditEvent.Type type, int limit, int offset) {
		Assert.notNull(owner, "owner cannot be null");
		return query("tenant_id = ? and owner_id = ?", List.of(owner.tenantId(), owner.principal()), type, limit,
				offset);
	}

	/**
	 * The events of every owner of a tenant (for administrators).
	 * @param tenantId the tenant ({@link McpOwner#NO_TENANT} for applications without tenants)
	 * @param type only events of this type, or {@code null} for all
	 * @param limit page size (1 to {@value #MAX_LIMIT})
	 * @param offset rows to skip
	 * @return the events, newest first
	 */
	public List<Row> forTenant(String tenantId, AuditEvent.Type type, int limit, int offset) {
		Assert.notNull(tenantId, "tenantId cannot be null");
		return query("tenant_id = ?", List.of(tenantId), type, limit, offset);
	}

	/**
	 * Every event (for administrators).
	 * @param type only events of this type, or {@code null} for all
	 * @param limit page size (1 to {@value #MAX_LIMIT})
	 * @param offset rows to skip
	 * @return the events, newest first
	 */
	public List<Row> all(AuditEvent.Type type, int limit, int offset) {
		return query(null, List.of(), type, limit, offset);
	}

	private List<Row> query(String where, List<Object> whereParams, AuditEvent.Type type, int limit,
			int offset) {
		Assert.isTrue(limit > 0, "limit must be positive");
		Assert.isTrue(offset >= 0, "offset cannot be negative");
		List<Object> params = new ArrayList<>(whereParams);
		List<String> conditions = new ArrayList<>();
		if (where != null) {
			conditions.add(where);
		}
		if (type != null) {
			conditions.add("type = ?");
			params.add(type.name());
		}
		params.add(Math.min(limit, MAX_LIMIT));
		params.add(offset);
		String sql = this.columns + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions))
				+ " order by occurred_at desc, id desc limit ? offset ?";
		try {
			return this.jdbc.sql(sql).params(params).query(AuditQuery::toRecord).list();
		}
		catch (RuntimeException ex) {
			throw StorageUnavailableException.translate(ex, "The audit log is unavailable");
		}
	}

	static Row toRecord(ResultSet rs, int row) throws SQLException {
		long latency = rs.getLong("latency_ms");
		Long latencyMillis = rs.wasNull() ? null : latency;
		String type = rs.getString("type");
		return new Row(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
				McpOwner.of(rs.getString("tenant_id"), rs.getString("owner_id")), typeOf(type),
				rs.getObject("connection_id", UUID.class), rs.getString("tool"), rs.getString("outcome"),
				rs.getString("decision"), latencyMillis, rs.getString("detail"), rs.getString("actor"));
	}

	private static AuditEvent.Type typeOf(String name) {
		try {
			return AuditEvent.Type.valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			return null; // written by a newer version
		}
	}

	/**
	 * A stored audit event, as read back from the audit table.
	 *
	 * @param id the row id, increasing with insertion
	 * @param at when it happened
	 * @param owner whose action it was
	 * @param type what kind of event
	 * @param connectionId the connection, if any (it may have been deleted since)
	 * @param tool the tool name, or {@code null}
	 * @param outcome the outcome
	 * @param decision the policy or approval decision, or {@code null}
	 * @param latencyMillis the latency of a tool call, or {@code null}
	 * @param detail a short non-sensitive detail, or {@code null}
	 * @param actor who decided, for approval decisions, or {@code null}
	 */
	public record Row(long id, Instant at, McpOwner owner, AuditEvent.Type type, UUID connectionId, String tool,
			String outcome, String decision, Long latencyMillis, String detail, String actor) {

	}

}
