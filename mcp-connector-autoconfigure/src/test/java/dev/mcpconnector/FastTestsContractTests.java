package dev.mcpconnector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code @Tag("fast")} honest: {@code ./mvnw -Pfast-tests test} promises no database, no
 * Node and no Spring context, so a fast test class may not use the helpers or annotations that
 * start one. Reads this module's test sources (surefire runs with the module as working
 * directory).
 */
@Tag("fast")
class FastTestsContractTests {

	private static final Path TEST_SOURCES = Path.of("src", "test", "java");

	/** What starts a database, a Node process or a Spring context. */
	private static final List<String> SLOW = List.of("TestPostgres", "TestDatabase", "EmbeddedPostgres",
			"NodePeer", "TestOAuthPeer", "TestApplication", "@SpringBootTest", "@DataJpaTest", "@WebMvcTest",
			"ApplicationContextRunner", "SpringApplication", "AnnotationConfigApplicationContext",
			"@ExtendWith(SpringExtension", "@SpringJUnitConfig", "Testcontainers", "PostgreSQLContainer",
			"DataSourceBuilder", "DriverManager");

	@Test
	void fastTestClassesStartNoDatabaseNodeOrSpringContext() throws IOException {
		List<Path> fast = fastTestClasses();
		assertThat(fast).hasSizeGreaterThan(20);
		for (Path file : fast) {
			String source = Files.readString(file);
			assertThat(SLOW).as("%s is tagged fast", TEST_SOURCES.relativize(file))
				.noneMatch(source::contains);
		}
	}

	@Test
	void aClassThatStartsADatabaseIsNotTaggedFast() throws IOException {
		// the check above would catch these: they are the slow suites
		Path slow = TEST_SOURCES.resolve("dev/mcpconnector/jpa/JpaStorageTests.java");
		assertThat(slow).exists();
		assertThat(fastTestClasses()).doesNotContain(slow);
		assertThat(SLOW).anyMatch(Files.readString(slow)::contains);
	}

	private static List<Path> fastTestClasses() throws IOException {
		try (Stream<Path> files = Files.walk(TEST_SOURCES)) {
			return files.filter((file) -> file.toString().endsWith("Tests.java"))
				.filter((file) -> !file.getFileName().toString().equals("FastTestsContractTests.java"))
				.filter(FastTestsContractTests::isTaggedFast)
				.toList();
		}
	}

	private static boolean isTaggedFast(Path file) {
		try {
			String source = Files.readString(file);
			return source.contains("@Tag(\"fast\")") || source.contains("@org.junit.jupiter.api.Tag(\"fast\")");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
