package dev.mcpconnector.jpa;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Adds this package to the packages Spring Boot scans for entities, without replacing the
 * host application's choice. When the host declared {@code @EntityScan}, its packages are kept
 * and ours added. When it did not, Boot would scan the auto-configuration packages; since
 * registering any entity-scan package turns that default off, those packages are registered
 * too.
 * <p>
 * The entities name a placeholder schema; with them this registers the
 * {@code HibernatePropertiesCustomizer} that maps it to the schema of the
 * {@link McpConnectorTables} bean ({@code mcp.connector.schema.name}), leaving the host's
 * entities to the host's naming strategy, and a check that fails the start-up when an entity
 * manager factory still maps them to the placeholder (a factory the host built itself, or a
 * naming strategy set after ours).
 */
class McpConnectorEntityScanRegistrar implements ImportBeanDefinitionRegistrar {

	private static final String ENTITY_SCAN_PACKAGES_BEAN = EntityScanPackages.class.getName();

	/** The name of the customizer that puts the entities into their schema. */
	static final String SCHEMA_CUSTOMIZER_BEAN = "mcpConnectorHibernateSchemaCustomizer";

	/** The name of the check that the entities did not stay in the placeholder schema. */
	static final String SCHEMA_VERIFIER_BEAN = "mcpConnectorSchemaMappingVerifier";

	private static final String HIBERNATE_PROPERTIES_CUSTOMIZER = "org.springframework.boot.hibernate.autoconfigure"
			+ ".HibernatePropertiesCustomizer";

	private static final String HIBERNATE_SESSION_FACTORY = "org.hibernate.engine.spi.SessionFactoryImplementor";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		List<String> packages = new ArrayList<>();
		packages.add(McpConnectorEntityScanRegistrar.class.getPackageName());
		if (!registry.containsBeanDefinition(ENTITY_SCAN_PACKAGES_BEAN)
				&& registry instanceof ConfigurableListableBeanFactory beanFactory
				&& AutoConfigurationPackages.has(beanFactory)) {
			packages.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		EntityScanPackages.register(registry, packages);
		if (!registry.containsBeanDefinition(SCHEMA_CUSTOMIZER_BEAN)
				&& ClassUtils.isPresent(HIBERNATE_PROPERTIES_CUSTOMIZER, getClass().getClassLoader())) {
			RootBeanDefinition customizer = new RootBeanDefinition(SchemaHibernatePropertiesCustomizer.class);
			customizer.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			customizer.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
			registry.registerBeanDefinition(SCHEMA_CUSTOMIZER_BEAN, customizer);
		}
		if (!registry.containsBeanDefinition(SCHEMA_VERIFIER_BEAN)
				&& ClassUtils.isPresent(HIBERNATE_SESSION_FACTORY, getClass().getClassLoader())) {
			RootBeanDefinition verifier = new RootBeanDefinition(SchemaMappingVerifier.class);
			verifier.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			verifier.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
			registry.registerBeanDefinition(SCHEMA_VERIFIER_BEAN, verifier);
		}
	}

}
