package dev.mcpconnector.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SchemaNamingStrategy}: wrapping the application's naming strategy. */
@Tag("fast")
class SchemaNamingStrategyTests {

	@Test
	void aStrategyNamedByClassIsLoadedWithTheApplicationsClassLoader() {
		String name = HostStrategy.class.getName();
		ClassLoader application = new ApplicationClassLoader(getClass().getClassLoader(), name);
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(application);
		try {
			Map<String, Object> properties = new HashMap<>();
			properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, name);
			McpConnectorTables.inSchema("tenant_a").applyTo(properties);
			SchemaNamingStrategy ours = (SchemaNamingStrategy) properties.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
			assertThat(ours.delegate().getClass().getName()).isEqualTo(name);
			assertThat(ours.delegate().getClass().getClassLoader()).isSameAs(application);
			assertThat(ours.toPhysicalSchemaName(Identifier.toIdentifier(McpConnectorTables.ENTITY_SCHEMA), null))
				.isEqualTo(Identifier.toIdentifier("tenant_a"));
			assertThat(ours.toPhysicalSchemaName(Identifier.toIdentifier("host_schema"), null))
				.isEqualTo(Identifier.toIdentifier("host_schema"));
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** The application's strategy, named by class in its properties. */
	public static class HostStrategy extends PhysicalNamingStrategyStandardImpl {

	}

	/**
	 * An application class loader (as in a deployed war or a restarted devtools application)
	 * that defines one class itself, so that the starter's class loader sees another class of
	 * the same name.
	 */
	private static final class ApplicationClassLoader extends ClassLoader {

		private final String own;

		ApplicationClassLoader(ClassLoader parent, String own) {
			super(parent);
			this.own = own;
		}

		@Override
		protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
			if (!className.equals(this.own)) {
				return super.loadClass(className, resolve);
			}
			synchronized (getClassLoadingLock(className)) {
				Class<?> loaded = findLoadedClass(className);
				if (loaded == null) {
					try (InputStream in = getParent().getResourceAsStream(className.replace('.', '/') + ".class")) {
						byte[] bytes = in.readAllBytes();
						loaded = defineClass(className, bytes, 0, bytes.length);
					}
					catch (IOException ex) {
						throw new ClassNotFoundException(className, ex);
					}
				}
				return loaded;
			}
		}

	}

}
