package dev.mcpconnector.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Usage, derived with SQL from the {@link AuditEvent.Type#TOOL_CALL TOOL_CALL} rows of the audit
 * table: no write of its own. Days are calendar days in a configured time zone (UTC by
 * default); a range is inclusive at both ends. When the database cannot be reached, its methods
 * throw {@link StorageUnavailableException}.
 */
public class UsageService {

	private final JdbcClient jdbc;

	private final String table;

	private final ZoneId zone;

	private final Clock clock;

	/**
	 * Usage in UTC days from the audit table in the connection's default schema.
	 * @param dataSource where {@code mcp_audit_event} lives
	 */
	public UsageService(DataSource dataSource) {
		this(dataSource, McpConnectorTables.inDefaultSchema(), ZoneOffset.UTC, Clock.systemUTC());
	}

	/**
	 * A usage service.
	 * @param dataSource where {@code mcp_audit_event} lives
	 * @param tables the schema of mcp-connector's tables
	 * @param zone the time zone of the days
	 * @param clock the clock that says which day is today
	 */
	public UsageService(DataSource dataSource, McpConnectorTables tables, ZoneId zone, Clock clock) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		Assert.notNull(zone, "zone cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.table = tables.auditEvent();
		this.zone = zone;
		this.clock = clock;
	}

	/**
	 * Today, in the service's time zone.
	 * @return today
	 */
	public LocalDate today() {
		return LocalDate.now(this.clock.withZone(this.zone));
	}

	/**
	 * The time zone of the days.
	 * @return the zone
	 */
	public ZoneId zone() {
		return this.zone;
	}

	/**
	 * One owner's usage.
	 * @param owner the owner
	 * @param from first day, inclusive
	 * @param to last day, inclusive
	 * @return rows by day, connection and tool, in that order
	 */
	public List<Row> usage(McpOwner owner, LocalDate from, LocalDate to) {
		Assert.notNull(owner, "owner cannot be null");
		return query("tenant_id = ? and owner_id = ?", List.of(owner.tenantId(), owner.principal()), from, to);
	}

	/**
	 * The usage of every owner of a tenant (for administrators).
	 * @param tenantId the tenant
	 * @param from first day, inclusive
	 * @param to last day, inclusive
	 * @return rows by day, owner, connection and tool, in that order
	 */
	public List<Row> usageOfTenant(String tenantId, LocalDate from, LocalDate to) {
		Assert.notNull(tenantId, "tenantId cannot be null");
		return query("tenant_id = ?", List.of(tenantId), from, to);
	}

	/**
	 * Everyone's usage (for administrators).
	 * @param from first day, inclusive
	 * @param to last day, inclusive
	 * @return rows by day, owner, connection and tool, in that order
	 */
	public List<Row> usageOfAll(LocalDate from, LocalDate to) {
		return query(null, List.of(), from, to);
	}

	private List<Row> query(String where, List<Object> whereParams, LocalDate from, LocalDate to) {
		Assert.notNull(from, "from cannot be null");
		Assert.notNull(to, "to cannot be null");
		Assert.isTrue(!to.isBefore(from), "to cannot be before from");
		List<Object> params = new ArrayList<>();
		params.add(this.zone.getId());
		params.add(AuditEvent.Type.TOOL_CALL.name());
		params.add(OffsetDateTime.ofInstant(from.atStartOfDay(this.zone).toInstant(), ZoneOffset.UTC));
		params.add(OffsetDateTime.ofInstant(to.plusDays(1).atStartOfDay(this.zone).toInstant(), ZoneOffset.UTC));
		params.addAll(whereParams);
		String sql = "select (occurred_at at time zone ?::text)::date as day, tenant_id, owner_id, connection_id,"
				+ " tool, count(*) as calls,"
				+ " count(*) filter (where outcome not in ('ok', 'tool-error')) as errors,"
				+ " count(*) filter (where outcome = 'tool-error') as tool_errors,"
				+ " round(avg(latency_ms), 3)::double precision as avg_latency,"
				+ " round((percentile_cont(0.95) within group (order by latency_ms))::numeric, 3)::double precision"
				+ " as p95_latency"
				+ " from " + this.table + " where type = ? and occurred_at >= ? and occurred_at < ?"
				+ ((where != null) ? " and " + where : "")
				+ " group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5";
		try {
			return this.jdbc.sql(sql).params(params).query(UsageService::toRow).list();
		}
		catch (RuntimeException ex) {
			throw StorageUnavailableException.translate(ex, "Usage is unavailable");
		}
	}

	private static Row toRow(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getObject("day", LocalDate.class),
				McpOwner.of(rs.getString("tenant_id"), rs.getString("owner_id")),
				rs.getObject("connection_id", UUID.class), rs.getString("tool"), rs.getLong("calls"),
				rs.getLong("errors"), rs.getLong("tool_errors"), nullableDouble(rs, "avg_latency"),
				nullableDouble(rs, "p95_latency"));
	}

	private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? null : value;
	}

	/**
	 * Tool calls of one owner, on one connection, of one tool, on one day.
	 *
	 * @param day the day, in the usage service's time zone
	 * @param owner whose calls they were
	 * @param connectionId the connection (it may have been deleted since), or {@code null}
	 * @param tool the tool name, or {@code null}
	 * @param calls every call, whatever its outcome (refused ones included)
	 * @param errors calls that did not reach a result: outcome other than {@code ok} and
	 * {@code tool-error} (failed, denied, rate-limited, approval-pending, ...)
	 * @param toolErrors calls the tool answered with an error ({@code tool-error})
	 * @param avgLatencyMillis mean latency of the calls with a latency (rounded to 3 decimals), or {@code null}
	 * @param p95LatencyMillis 95th percentile of the latency (interpolated, rounded to 3 decimals), or
	 * {@code null}
	 */
	public record Row(LocalDate day, McpOwner owner, UUID connectionId, String tool, long calls, long errors,
			long toolErrors, Double avgLatencyMillis, Double p95LatencyMillis) {

	}

}
