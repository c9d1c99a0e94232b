package dev.mcpconnector.jpa;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.core.Ordered;

/**
 * Moves mcp-connector's entities into the schema of the {@link McpConnectorTables} bean (the
 * connection's default when there is none), through Spring Boot's entity manager factory.
 * Registered by {@link McpConnectorEntityScanRegistrar} with the entities themselves, so the two
 * never come apart.
 * <p>
 * Runs last ({@link Ordered#LOWEST_PRECEDENCE}), so that it wraps whatever physical naming
 * strategy the application and its other customizers set; {@link SchemaMappingVerifier} fails
 * the start-up when the entities still end up in the placeholder schema.
 */
class SchemaHibernatePropertiesCustomizer implements HibernatePropertiesCustomizer, Ordered {

	private final ObjectProvider<McpConnectorTables> tables;

	SchemaHibernatePropertiesCustomizer(ObjectProvider<McpConnectorTables> tables) {
		this.tables = tables;
	}

	@Override
	public void customize(Map<String, Object> hibernateProperties) {
		this.tables.getIfAvailable(McpConnectorTables::inDefaultSchema).applyTo(hibernateProperties);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
