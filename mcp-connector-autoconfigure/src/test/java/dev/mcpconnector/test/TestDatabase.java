package dev.mcpconnector.test;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * One fresh database on the shared test PostgreSQL.
 *
 * @param jdbcUrl its JDBC URL
 * @param username user name
 * @param password password
 * @param serverDescription what server it lives on
 */
public record TestDatabase(String jdbcUrl, String username, String password, String serverDescription) {

	/**
	 * A simple, unpooled data source for raw JDBC checks.
	 * @return the data source
	 */
	public DataSource dataSource() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(this.jdbcUrl);
		dataSource.setUser(this.username);
		dataSource.setPassword(this.password);
		return dataSource;
	}

	/**
	 * Spring Boot properties that point the application at this database.
	 * @return {@code key=value} pairs
	 */
	public String[] springProperties() {
		return new String[] { "spring.datasource.url=" + this.jdbcUrl, "spring.datasource.username=" + this.username,
				"spring.datasource.password=" + this.password, "spring.jpa.hibernate.ddl-auto=validate",
				"spring.jpa.open-in-view=false",
				// The shared test PostgreSQL stops in a JVM shutdown hook next to the contexts' own:
				// do not let the audit log wait long for a database that is already gone.
				"mcp.connector.audit.shutdown-timeout=2s" };
	}

	/**
	 * Point a Spring test context at this database.
	 * @param registry the test's dynamic properties
	 */
	public void registerDataSource(org.springframework.test.context.DynamicPropertyRegistry registry) {
		for (String property : springProperties()) {
			int eq = property.indexOf('=');
			registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
		}
	}

	/**
	 * Point a Spring test context at this database, with a fresh encryption key and plain-http
	 * loopback peers allowed (the tests' servers run on 127.0.0.1).
	 * @param registry the test's dynamic properties
	 */
	public void registerWithLoopbackPeers(org.springframework.test.context.DynamicPropertyRegistry registry) {
		registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", TestKeys::newBase64Key);
		registry.add("mcp.connector.egress.allow-insecure-loopback", () -> "true");
	}

	@Override
	public String toString() {
		return "TestDatabase[" + this.jdbcUrl + " on " + this.serverDescription + "]";
	}

}
