package dev.mcpconnector.actuate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.jpa.McpConnectorTables;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * Health of mcp-connector: how many connections are in each {@link ConnectionStatus}, from one
 * cheap {@code select status, count(*) from mcp_connection group by status}. Always
 * {@code UP} with the counts as details (every status listed, zero included); {@code DOWN} only
 * when the query fails, with the exception's class name (never its message) as detail. A
 * connection needing re-authorization is a user's business, not an outage, so it never makes
 * the application unhealthy.
 */
class McpConnectorHealthIndicator implements HealthIndicator {

	private final DataSource dataSource;

	private final String query;

	/**
	 * @param dataSource the database of mcp-connector's tables
	 * @param tables where those tables are
	 */
	public McpConnectorHealthIndicator(DataSource dataSource, McpConnectorTables tables) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(tables, "tables cannot be null");
		this.dataSource = dataSource;
		this.query = "select status, count(*) from " + tables.connection()
				+ " group by status";
	}

	@Override
	public Health health() {
		Map<String, Object> counts = new LinkedHashMap<>();
		for (ConnectionStatus status : ConnectionStatus.values()) {
			counts.put(status.name(), 0L);
		}
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(this.query);
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				counts.put(rows.getString(1), rows.getLong(2));
			}
		}
		catch (Exception ex) {
			return Health.down().withDetail("error", ex.getClass().getName()).build();
		}
		return Health.up().withDetails(counts).build();
	}

}
