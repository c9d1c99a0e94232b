package dev.mcpconnector.jpa;

import java.util.Map;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

import org.springframework.beans.BeanUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The physical naming strategy that maps the logical schema {@link McpConnectorTables#ENTITY_SCHEMA}
 * of mcp-connector's entities to the configured schema (or to the default namespace when none is
 * configured), and hands every other name, the host's entities' and our tables' and columns',
 * to the application's own strategy.
 */
final class SchemaNamingStrategy implements PhysicalNamingStrategy {

	private final PhysicalNamingStrategy delegate;

	private final Identifier schema;

	private SchemaNamingStrategy(PhysicalNamingStrategy delegate, String schema) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
		this.schema = (schema != null) ? Identifier.toIdentifier(schema) : null;
	}

	/** Wrap the naming strategy configured in {@code properties}; idempotent. */
	static void install(Map<String, Object> properties, String schema) {
		Object configured = properties.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
		PhysicalNamingStrategy delegate = (configured instanceof SchemaNamingStrategy ours) ? ours.delegate
				: resolve(configured);
		properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, new SchemaNamingStrategy(delegate, schema));
	}

	private static PhysicalNamingStrategy resolve(Object configured) {
		if (configured == null) {
			return PhysicalNamingStrategyStandardImpl.INSTANCE;
		}
		if (configured instanceof PhysicalNamingStrategy strategy) {
			return strategy;
		}
		Class<?> type;
		if (configured instanceof Class<?> given) {
			type = given;
		}
		else {
			String name = configured.toString().trim();
			try {
				// The application's class loader (the thread context one), not the starter's: the
				// strategy is the application's class.
				type = ClassUtils.forName(name, ClassUtils.getDefaultClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				throw new IllegalStateException(MappingSettings.PHYSICAL_NAMING_STRATEGY + " names a class that cannot"
						+ " be loaded: " + name, ex);
			}
		}
		Assert.isTrue(PhysicalNamingStrategy.class.isAssignableFrom(type),
				() -> MappingSettings.PHYSICAL_NAMING_STRATEGY + " is not a PhysicalNamingStrategy: " + type.getName());
		return (PhysicalNamingStrategy) BeanUtils.instantiateClass(type);
	}

	/** The application's strategy this one hands every other name to. */
	PhysicalNamingStrategy delegate() {
		return this.delegate;
	}

	@Override
	public Identifier toPhysicalSchemaName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		if (logicalName != null && McpConnectorTables.ENTITY_SCHEMA.equals(logicalName.getText())) {
			return this.schema;
		}
		return this.delegate.toPhysicalSchemaName(logicalName, jdbcEnvironment);
	}

	@Override
	public Identifier toPhysicalCatalogName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		return this.delegate.toPhysicalCatalogName(logicalName, jdbcEnvironment);
	}

	@Override
	public Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		return this.delegate.toPhysicalTableName(logicalName, jdbcEnvironment);
	}

	@Override
	public Identifier toPhysicalSequenceName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		return this.delegate.toPhysicalSequenceName(logicalName, jdbcEnvironment);
	}

	@Override
	public Identifier toPhysicalColumnName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		return this.delegate.toPhysicalColumnName(logicalName, jdbcEnvironment);
	}

	@Override
	public Identifier toPhysicalTypeName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
		return this.delegate.toPhysicalTypeName(logicalName, jdbcEnvironment);
	}

}
