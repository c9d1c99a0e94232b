package dev.mcpconnector;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of the README compiles as printed, imports included, against this
 * module's test class path (the library, Spring Security, Spring AI, the MCP SDK), so a newcomer
 * who pastes one gets no unresolved name. Compiling the README itself, rather than quoting test
 * sources into it, keeps the README the one place the snippets live and fails the build the
 * moment one drifts. It also checks that the README names every error code.
 */
@Tag("fast")
class ReadmeSnippetsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");

	private static final Pattern TYPE_NAME = Pattern
		.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

	@TempDir
	Path classes;

	@Test
	void everyJavaSnippetCompilesAsPrinted() throws IOException {
		List<String> snippets = javaSnippets();
		assertThat(snippets).as("java blocks in the README").hasSizeGreaterThanOrEqualTo(5);
		List<JavaFileObject> units = new ArrayList<>();
		for (int i = 0; i < snippets.size(); i++) {
			String snippet = snippets.get(i);
			Matcher type = TYPE_NAME.matcher(snippet);
			assertThat(type.find()).as("snippet %d declares a type (a whole file, imports included):%n%s", i + 1,
					snippet)
				.isTrue();
			assertThat(snippet).as("snippet %d has its imports", i + 1).contains("import ");
			units.add(source(type.group(1), snippet));
		}
		assertThat(units).extracting(JavaFileObject::getName)
			.as("snippets compile together, exactly as printed (no package added): one type name each")
			.doesNotHaveDuplicates();
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
			files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(this.classes.toFile()));
			List<String> options = List.of("-classpath", classPath(), "-proc:none", "-Xlint:none");
			Boolean compiled = compiler.getTask(null, files, diagnostics, options, null, units).call();
			List<String> errors = diagnostics.getDiagnostics()
				.stream()
				.filter((diagnostic) -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
				.map((diagnostic) -> diagnostic.getSource().getName() + ":" + diagnostic.getLineNumber() + ": "
						+ diagnostic.getMessage(Locale.ROOT))
				.toList();
			assertThat(errors).as("compile errors in README snippets").isEmpty();
			assertThat(compiled).isTrue();
		}
	}

	@Test
	void everyErrorCodeIsDocumented() throws IOException {
		String readme = Files.readString(README);
		for (McpConnectorErrorCode code : McpConnectorErrorCode.values()) {
			assertThat(readme).as("README names the error code").contains("`" + code.code() + "`");
		}
	}

	private static List<String> javaSnippets() throws IOException {
		Matcher blocks = JAVA_BLOCK.matcher(Files.readString(README));
		List<String> snippets = new ArrayList<>();
		while (blocks.find()) {
			snippets.add(blocks.group(1));
		}
		return snippets;
	}

	private static JavaFileObject source(String typeName, String snippet) {
		URI uri = URI.create("string:///" + typeName + ".java");
		return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
			@Override
			public CharSequence getCharContent(boolean ignoreEncodingErrors) {
				return snippet;
			}
		};
	}

	/** Surefire's test class path (java.class.path may be a manifest-only jar). */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		String path = (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
		assertThat(path).contains(File.pathSeparator);
		return path;
	}

}
