package dev.mcpconnector.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;

import org.hibernate.engine.spi.SessionFactoryImplementor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Fails the start-up, with a message saying what to do, when an entity manager factory maps
 * mcp-connector's entities to the placeholder schema {@link McpConnectorTables#ENTITY_SCHEMA}:
 * the host built its own factory without {@link McpConnectorTables#applyTo}, or set
 * {@code hibernate.physical_naming_strategy} after {@link SchemaHibernatePropertiesCustomizer}.
 * Without this every statement on those entities would fail at run time. Reads the mapping
 * model only; no database access.
 */
class SchemaMappingVerifier implements SmartInitializingSingleton {

	private final ObjectProvider<EntityManagerFactory> entityManagerFactories;

	SchemaMappingVerifier(ObjectProvider<EntityManagerFactory> entityManagerFactories) {
		this.entityManagerFactories = entityManagerFactories;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.entityManagerFactories.orderedStream().forEach(SchemaMappingVerifier::verify);
	}

	static void verify(EntityManagerFactory entityManagerFactory) {
		SessionFactoryImplementor sessionFactory;
		try {
			sessionFactory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
		}
		catch (PersistenceException ex) {
			return; // not Hibernate: not ours
		}
		String ownPackage = SchemaMappingVerifier.class.getPackageName();
		List<String> misplaced = new ArrayList<>();
		sessionFactory.getMappingMetamodel().forEachEntityDescriptor((entity) -> {
			if (entity.getMappedClass() != null && ownPackage.equals(entity.getMappedClass().getPackageName())) {
				for (String table : entity.getTableNames()) {
					if (table.toLowerCase(Locale.ROOT).contains(McpConnectorTables.ENTITY_SCHEMA)) {
						misplaced.add(entity.getEntityName() + " -> " + table);
					}
				}
			}
		});
		if (!misplaced.isEmpty()) {
			throw new IllegalStateException("mcp-connector's entities are mapped to the placeholder schema '"
					+ McpConnectorTables.ENTITY_SCHEMA + "' " + misplaced + ", so every statement on them would fail."
					+ " The entity manager factory was built without mcp-connector's naming strategy, or a"
					+ " hibernate.physical_naming_strategy set after it replaced it. An entity manager factory built"
					+ " by the application must pass its JPA properties through McpConnectorTables.applyTo(..), and a"
					+ " HibernatePropertiesCustomizer that sets the naming strategy must run before mcp-connector's"
					+ " (an order below Ordered.LOWEST_PRECEDENCE): mcp-connector's wraps the strategy it finds.");
		}
	}

}
