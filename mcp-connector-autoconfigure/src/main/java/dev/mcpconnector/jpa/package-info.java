/**
 * Storage on the relational database: package-private entities and {@code Jpa…}
 * implementations of the storage SPIs and the PostgreSQL refresh lock, all defined by
 * {@link dev.mcpconnector.jpa.McpConnectorJpaConfiguration}; the key rotation, the Flyway
 * migrator, and
 * {@link dev.mcpconnector.jpa.McpConnectorTables}, the one place that knows the table names and
 * their schema for JPA and JDBC alike. Entities are registered with the host application's
 * entity manager factory without replacing its own {@code @EntityScan}, and moved to
 * {@code mcp.connector.schema.name} by a naming strategy that leaves the host's entities alone;
 * no Spring Data repository bean is declared, so the host's {@code @EnableJpaRepositories} (or
 * Boot's default) stays in charge.
 */
package dev.mcpconnector.jpa;
