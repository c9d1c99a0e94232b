package dev.mcpconnector.jpa;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;

/**
 * Moves mcp-connector's entities into the schema of the {@link McpConnectorTables} bean (the
 * connection's default when there is none), through Spring Boot's entity manager factory.
 * Registered by {@link McpConnectorEntityScanRegistrar} with the entities themselves, so the two
 * never come apart.
 */
class SchemaHibernatePropertiesCustomizer implements HibernatePropertiesCustomizer {

	private final ObjectProvider<McpConnectorTables> tables;

	SchemaHibernatePropertiesCustomizer(ObjectProvider<McpConnectorTables> tables) {
		this.tables = tables;
	}

	@Override
	public void customize(Map<String, Object> hibernateProperties) {
		this.tables.getIfAvailable(McpConnectorTables::inDefaultSchema).applyTo(hibernateProperties);
	}

}
