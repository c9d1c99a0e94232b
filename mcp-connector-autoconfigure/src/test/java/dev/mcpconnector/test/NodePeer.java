package dev.mcpconnector.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real MCP peer from {@code test-peers/} (npm packages pinned in its package-lock.json) run as
 * a child {@code node} process on loopback. Every server it starts binds to 127.0.0.1 unless the
 * script names a host, because {@code test-peers/loopback.mjs} is preloaded with
 * {@code node --import}. Output goes to {@code target/node-peers/<name>.log}.
 *
 * <pre>{@code
 * int port = NodePeer.freePort();
 * try (NodePeer peer = NodePeer.start("everything",
 * 		List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
 * 		Map.of("PORT", String.valueOf(port)), port)) {
 * 	// http://localhost:<port>/mcp answers
 * }
 * }</pre>
 *
 * Needs {@code node} and {@code npm} on the PATH (override with the system properties
 * {@code mcp.test.node} and {@code mcp.test.npm}). Dependency-free on purpose.
 */
public final class NodePeer implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

	private static final String STAMP = ".package-lock.sha256";

	private static final Set<NodePeer> RUNNING = ConcurrentHashMap.newKeySet();

	private static Path peersDir;

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(NodePeer::close),
				"node-peer-reaper"));
	}

	private final String name;

	private final Process process;

	private final Path log;

	private NodePeer(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Finds {@code test-peers/} (walking up from the working directory to the folder holding
	 * {@code test-peers/package-lock.json}) and runs {@code npm ci} there when
	 * {@code node_modules} is missing or was installed from another lock file.
	 * @return the absolute {@code test-peers} directory
	 * @throws IllegalStateException when the folder is not found or npm fails
	 */
	public static Path installIfNeeded() {
		return installIfNeeded(null);
	}

	/**
	 * Like {@link #installIfNeeded()}, for a separate npm project inside {@code test-peers/}
	 * (its own {@code package.json} and {@code package-lock.json}), or {@code test-peers/} itself.
	 * @param project the project's folder relative to {@code test-peers/}, or {@code null} for
	 * {@code test-peers/}
	 * @return the absolute project directory
	 * @throws IllegalStateException when the folder is not found or npm fails
	 */
	public static synchronized Path installIfNeeded(String project) {
		if (peersDir == null) {
			peersDir = locatePeersDir();
		}
		Path projectDir = (project != null) ? peersDir.resolve(project) : peersDir;
		if (!Files.isRegularFile(projectDir.resolve("package-lock.json"))) {
			throw new IllegalStateException("No package-lock.json in " + projectDir);
		}
		Path nodeModules = projectDir.resolve("node_modules");
		Path stamp = nodeModules.resolve(STAMP);
		try (FileChannel lockFile = FileChannel.open(projectDir.resolve(".install.lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
			String lockHash = sha256(Files.readAllBytes(projectDir.resolve("package-lock.json")));
			if (Files.isDirectory(nodeModules) && Files.isRegularFile(stamp)
					&& Files.readString(stamp).trim().equals(lockHash)) {
				return projectDir;
			}
			Process npm = new ProcessBuilder(command("mcp.test.npm", "npm"), "ci", "--no-audit", "--no-fund")
				.directory(projectDir.toFile())
				.redirectErrorStream(true)
				.start();
			npm.getOutputStream().close();
			CompletableFuture<String> output = readAsync(npm.getInputStream());
			if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				destroyTree(npm);
				throw new IllegalStateException("npm ci in " + projectDir + " timed out after " + INSTALL_TIMEOUT
						+ ":\n" + output.getNow(""));
			}
			if (npm.exitValue() != 0) {
				throw new IllegalStateException("npm ci in " + projectDir + " failed with exit code "
						+ npm.exitValue() + ":\n" + output.join());
			}
			Files.writeString(stamp, lockHash + "\n");
			return projectDir;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not install the node test peers in " + projectDir
					+ " (are node and npm on the PATH?): " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while installing the node test peers", ex);
		}
	}

	/**
	 * Starts {@code node --import <test-peers/loopback.mjs> <argsAfterNode...>} in
	 * {@code test-peers/} and waits until every port in {@code portsToAwait} accepts TCP
	 * connections on 127.0.0.1.
	 * @param name names the log file {@code target/node-peers/<name>.log}
	 * @param argsAfterNode script (relative to {@code test-peers/}) and its arguments
	 * @param env variables added to the inherited environment
	 * @param portsToAwait ports that must be listening before this returns
	 * @return the running peer; close it to stop the process tree
	 * @throws IllegalStateException when the process exits or a port stays closed for 30 s,
	 * with the tail of the log
	 */
	public static NodePeer start(String name, List<String> argsAfterNode, Map<String, String> env,
			int... portsToAwait) {
		return startIn(null, name, argsAfterNode, env, portsToAwait);
	}

	/**
	 * Like {@link #start(String, List, Map, int...)}, in a separate npm project inside
	 * {@code test-peers/} (installed by {@link #installIfNeeded(String)}); the script's path is
	 * relative to that project, and {@code test-peers/loopback.mjs} is preloaded all the same.
	 * @param project the project's folder relative to {@code test-peers/}, or {@code null}
	 * @param name names the log file {@code target/node-peers/<name>.log}
	 * @param argsAfterNode script (relative to the project) and its arguments
	 * @param env variables added to the inherited environment
	 * @param portsToAwait ports that must be listening before this returns
	 * @return the running peer; close it to stop the process tree
	 */
	public static NodePeer startIn(String project, String name, List<String> argsAfterNode, Map<String, String> env,
			int... portsToAwait) {
		Path dir = installIfNeeded(project);
		List<String> command = nodeCommand(argsAfterNode);
		Path log = Path.of("target", "node-peers", name + ".log").toAbsolutePath();
		NodePeer peer;
		try {
			Files.createDirectories(log.getParent());
			ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().putAll(env);
			Process process = builder.start();
			process.getOutputStream().close();
			peer = new NodePeer(name, process, log);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start node peer '" + name + "' " + command + ": " + ex, ex);
		}
		RUNNING.add(peer);
		try {
			peer.awaitPorts(portsToAwait);
		}
		catch (RuntimeException ex) {
			peer.close();
			throw ex;
		}
		return peer;
	}

	/** {@code node --import <test-peers/loopback.mjs> <argsAfterNode...>} */
	private static List<String> nodeCommand(List<String> argsAfterNode) {
		List<String> command = new ArrayList<>();
		command.add(command("mcp.test.node", "node"));
		command.add("--import");
		command.add(peersDir.resolve("loopback.mjs").toUri().toString());
		command.addAll(argsAfterNode);
		return command;
	}

	/**
	 * Runs {@code node --import <test-peers/loopback.mjs> <argsAfterNode...>} in
	 * {@code test-peers/} to completion, for client scripts.
	 * @param name names the log file {@code target/node-peers/<name>.log} (stderr)
	 * @param argsAfterNode script (relative to {@code test-peers/}) and its arguments
	 * @param timeout how long the script may run
	 * @return what the script wrote to stdout
	 * @throws IllegalStateException when the script exits with another code than 0 or times out
	 */
	public static String run(String name, List<String> argsAfterNode, Duration timeout) {
		Path dir = installIfNeeded();
		List<String> command = nodeCommand(argsAfterNode);
		Path log = Path.of("target", "node-peers", name + ".log").toAbsolutePath();
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).directory(dir.toFile())
				.redirectError(log.toFile())
				.start();
			process.getOutputStream().close();
			CompletableFuture<String> output = readAsync(process.getInputStream());
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				destroyTree(process);
				throw new IllegalStateException("node " + argsAfterNode + " timed out after " + timeout);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("node " + argsAfterNode + " exited with " + process.exitValue()
						+ "; stderr in " + log + ":\n" + Files.readString(log));
			}
			return output.join();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run node " + argsAfterNode + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running node " + argsAfterNode, ex);
		}
	}

	/**
	 * A TCP port that was free on 127.0.0.1 a moment ago.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** @return the file holding the peer's stdout and stderr */
	public Path log() {
		return this.log;
	}

	/** @return the last lines of the log, for assertion messages */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(log " + this.log + " unreadable: " + ex + ")";
		}
	}

	/** @return the process id of {@code node} */
	public long pid() {
		return this.process.pid();
	}

	/** @return whether the node process still runs */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Stops the process tree: children first, then node; forcibly after 5 s. */
	@Override
	public void close() {
		RUNNING.remove(this);
		destroyTree(this.process);
	}

	@Override
	public String toString() {
		return "NodePeer[" + this.name + ", pid " + this.process.pid() + "]";
	}

	private void awaitPorts(int... ports) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		for (int port : ports) {
			while (!accepts(port)) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this + " exited with code " + this.process.exitValue()
							+ " before port " + port + " opened; log " + this.log + ":\n" + logTail());
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(this + ": port " + port + " not open on 127.0.0.1 after "
							+ START_TIMEOUT.toSeconds() + " s; log " + this.log + ":\n" + logTail());
				}
				sleep(100);
			}
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void destroyTree(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		process.destroy();
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		try {
			process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			for (ProcessHandle child : descendants) {
				long left = deadline - System.nanoTime();
				if (left > 0 && child.isAlive()) {
					child.onExit().get(left, TimeUnit.NANOSECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// timed out: fall through to the forcible kill
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		if (process.isAlive()) {
			process.destroyForcibly();
			try {
				process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static Path locatePeersDir() {
		Path start = Path.of("").toAbsolutePath();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve("test-peers");
			if (Files.isRegularFile(candidate.resolve("package-lock.json"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("No test-peers/package-lock.json in " + start + " or any parent folder");
	}

	private static String command(String property, String fallback) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
		return (windows && fallback.equals("npm")) ? "npm.cmd" : fallback;
	}

	private static CompletableFuture<String> readAsync(InputStream in) {
		return CompletableFuture.supplyAsync(() -> {
			try (in) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(output unreadable: " + ex + ")";
			}
		});
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a node peer", ex);
		}
	}

}
