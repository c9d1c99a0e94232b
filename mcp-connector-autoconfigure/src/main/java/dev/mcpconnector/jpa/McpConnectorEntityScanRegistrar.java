package dev.mcpconnector.jpa;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Adds this package to the packages Spring Boot scans for entities, without replacing the
 * host application's choice. When the host declared {@code @EntityScan}, its packages are kept
 * and ours added. When it did not, Boot would scan the auto-configuration packages; since
 * registering any entity-scan package turns that default off, those packages are registered
 * too.
 */
public class McpConnectorEntityScanRegistrar implements ImportBeanDefinitionRegistrar {

	private static final String ENTITY_SCAN_PACKAGES_BEAN = EntityScanPackages.class.getName();

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
	}

}
