package dev.mcpconnector.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.demo.DemoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample's page in a real browser: {@code src/test/browser/e2e.mjs} drives Debian's Chromium
 * with playwright-core against this app (random port, opened as {@code http://localhost:<port>}
 * like the printed URL) and the in-process demo MCP server (free port on 127.0.0.1). It logs in,
 * links the demo server through its OAuth consent, lists and calls tools, gets the destructive
 * delete-note approved in the page (and a denied request asking again), re-authorizes, reads a
 * consent declined at the authorization server, revokes, checks that bob sees nothing of alice's
 * (connections or approvals), and that a bad URL and a server that is down read as plain
 * sentences. Screenshots land in {@code target/screenshots/}.
 *
 * <p>Needs {@code node}, {@code npm} and {@code /usr/bin/chromium} (see
 * {@code src/test/browser/install-chromium.sh}). Without Chromium the test is skipped, unless
 * {@code MCP_CONNECTOR_REQUIRE_BROWSER} is set (CI), in which case it fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo-server.port=0")
@ActiveProfiles("demo")
class BrowserFlowTests {

	static final Path CHROMIUM = Path.of(System.getProperty("sample.e2e.chromium", "/usr/bin/chromium"));

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

	private static final String STAMP = ".package-lock.sha256";

	@LocalServerPort
	int port;

	@Autowired
	DemoServer demoServer;

	@Autowired
	McpConnectionService connections;

	@BeforeAll
	static void browserAvailable() {
		if (Files.isExecutable(CHROMIUM)) {
			return;
		}
		// The project installs what it needs: Debian's Chromium, when this user may (root or sudo).
		try {
			Process install = new ProcessBuilder("sh", "src/test/browser/install-chromium.sh").inheritIO().start();
			install.waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
		}
		catch (java.io.IOException ex) {
			// fall through to the check below
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (Files.isExecutable(CHROMIUM)) {
			return;
		}
		String message = CHROMIUM + " is missing: install it with sample-app/src/test/browser/install-chromium.sh";
		if (System.getenv("MCP_CONNECTOR_REQUIRE_BROWSER") != null) {
			fail(message + " (MCP_CONNECTOR_REQUIRE_BROWSER is set, so the browser test may not be skipped)");
		}
		assumeTrue(false, message + "; skipping the browser test");
	}

	@Test
	void aliceLinksConsentsCallsAToolAndRevokesInARealBrowser() throws Exception {
		Path dir = installIfNeeded();
		Path screenshots = Path.of("target", "screenshots").toAbsolutePath();
		deleteScreenshots(screenshots);
		String baseUrl = "http://localhost:" + this.port;
		long echoCallsBefore = this.demoServer.counters().toolCalls("echo");
		long deleteNoteCallsBefore = this.demoServer.counters().toolCalls("delete-note");
		long revocationsBefore = this.demoServer.counters().revocationRequests();

		ProcessBuilder builder = new ProcessBuilder(command("sample.e2e.node", "node"), "e2e.mjs", baseUrl,
				this.demoServer.mcpUrl(), String.valueOf(closedPort()))
			.directory(dir.toFile())
			.redirectErrorStream(true);
		builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
		builder.environment().put("CHROMIUM", CHROMIUM.toString());
		builder.environment().put("SCREENSHOT_DIR", screenshots.toString());
		Process node = builder.start();
		node.getOutputStream().close();
		CompletableFuture<String> output = readAsync(node.getInputStream(), true);
		if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			node.descendants().forEach(ProcessHandle::destroyForcibly);
			node.destroyForcibly();
			fail("e2e.mjs did not finish within " + RUN_TIMEOUT + ":\n" + output.getNow(""));
		}
		String log = output.join();
		assertThat(node.exitValue()).as("exit code of node e2e.mjs; its output:\n%s", log).isZero();
		assertThat(log).contains("e2e: all steps passed");

		// What the page did, seen from the two servers.
		assertThat(this.demoServer.counters().toolCalls("echo")).isGreaterThan(echoCallsBefore);
		assertThat(this.demoServer.counters().revocationRequests()).isGreaterThan(revocationsBefore);
		// delete-note was asked for four times (note 1 twice, note 2 twice) but only the approved
		// call reached the server: pending and denied requests never leave the connector.
		assertThat(this.demoServer.counters().toolCalls("delete-note"))
			.as("delete-note calls that reached the demo server")
			.isEqualTo(deleteNoteCallsBefore + 1);
		assertThat(this.connections.list(McpOwner.of("alice")))
			.as("alice's connections to the demo server after revoking them")
			.noneSatisfy((connection) -> assertThat(connection.serverUrl().toString())
				.isEqualTo(this.demoServer.mcpUrl()));
		for (String screenshot : List.of("04b-gateway-token", "05-tool-results", "05a-approval-pending", "05b-approved-result",
				"05c-denied-asks-again", "07a-consent-declined")) {
			assertThat(screenshots.resolve(screenshot + ".png")).isNotEmptyFile();
		}
	}

	// ------------------------------------------------------------------ npm ci, once per lock file

	/**
	 * Runs {@code npm ci} in {@code src/test/browser} unless {@code node_modules} was installed from
	 * this very {@code package-lock.json} (its SHA-256 is stamped in
	 * {@code node_modules/.package-lock.sha256}). Playwright's browser download never runs.
	 */
	static synchronized Path installIfNeeded() throws IOException, InterruptedException {
		Path dir = browserDir();
		Path nodeModules = dir.resolve("node_modules");
		Path stamp = nodeModules.resolve(STAMP);
		// One npm at a time, also across JVMs (a lock file outside the source tree).
		Path lockPath = Path.of(System.getProperty("java.io.tmpdir"), "mcp-connector-sample-browser-npm.lock");
		try (FileChannel lockFile = FileChannel.open(lockPath,
				StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
			String lockHash = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
			if (Files.isDirectory(nodeModules) && Files.isRegularFile(stamp)
					&& Files.readString(stamp).trim().equals(lockHash)) {
				return dir;
			}
			ProcessBuilder builder = new ProcessBuilder(command("sample.e2e.npm", "npm"), "ci", "--no-audit",
					"--no-fund")
				.directory(dir.toFile())
				.redirectErrorStream(true);
			builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
			Process npm = builder.start();
			npm.getOutputStream().close();
			CompletableFuture<String> output = readAsync(npm.getInputStream(), false);
			if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				npm.descendants().forEach(ProcessHandle::destroyForcibly);
				npm.destroyForcibly();
				fail("npm ci in " + dir + " timed out after " + INSTALL_TIMEOUT + ":\n" + output.getNow(""));
			}
			if (npm.exitValue() != 0) {
				fail("npm ci in " + dir + " failed with exit code " + npm.exitValue() + ":\n" + output.join());
			}
			Files.writeString(stamp, lockHash + "\n");
			return dir;
		}
	}

	private static Path browserDir() {
		for (Path candidate : List.of(Path.of("src", "test", "browser"),
				Path.of("sample-app", "src", "test", "browser"))) {
			if (Files.isRegularFile(candidate.resolve("package-lock.json"))) {
				return candidate.toAbsolutePath();
			}
		}
		throw new IllegalStateException("src/test/browser/package-lock.json not found from "
				+ Path.of("").toAbsolutePath());
	}

	private static String command(String property, String fallback) {
		return System.getProperty(property, fallback);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Collects a process's output, echoing each line to this test's output when asked. */
	private static CompletableFuture<String> readAsync(InputStream stream, boolean echo) {
		return CompletableFuture.supplyAsync(() -> {
			StringBuilder all = new StringBuilder();
			try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream,
					StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					if (echo) {
						System.out.println("[e2e] " + line);
					}
					synchronized (all) {
						all.append(line).append('\n');
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return all.toString();
		});
	}

	/** A port on 127.0.0.1 that nothing listens on: "a server that is down". */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private static void deleteScreenshots(Path screenshots) throws IOException {
		if (!Files.isDirectory(screenshots)) {
			return;
		}
		try (var files = Files.list(screenshots)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".png")).toList()) {
				Files.delete(file);
			}
		}
	}

}
