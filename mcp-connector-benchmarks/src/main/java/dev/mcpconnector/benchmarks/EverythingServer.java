package dev.mcpconnector.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mcpconnector.test.NodePeer;

/**
 * {@code @modelcontextprotocol/server-everything} (Streamable HTTP) from {@code test-peers/},
 * preloaded with {@code loopback.mjs} so it listens on 127.0.0.1 only. npm installs are left to
 * {@link NodePeer#installIfNeeded()}; the log goes to the benchmark's own target folder.
 */
final class EverythingServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private EverythingServer(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	String mcpUrl() {
		return "http://127.0.0.1:" + this.port + "/mcp";
	}

	long pid() {
		return this.process.pid();
	}

	static EverythingServer start(Path logDir) throws IOException, InterruptedException {
		Path dir = NodePeer.installIfNeeded();
		int port = NodePeer.freePort();
		Files.createDirectories(logDir);
		Path log = logDir.resolve("server-everything.log");
		String node = System.getProperty("mcp.test.node", "node");
		ProcessBuilder builder = new ProcessBuilder(List.of(node, "--import", dir.resolve("loopback.mjs").toUri().toString(),
				"node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"))
			.directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("PORT", String.valueOf(port));
		Process process = builder.start();
		process.getOutputStream().close();
		EverythingServer server = new EverythingServer(process, port, log);
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("server-everything exited:\n" + Files.readString(log));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return server;
			}
			catch (IOException ex) {
				Thread.sleep(100);
			}
		}
		server.close();
		throw new IllegalStateException("server-everything did not listen within 30 s:\n" + Files.readString(log));
	}

	@Override
	public void close() {
		this.process.descendants().forEach(ProcessHandle::destroy);
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return "server-everything on port " + this.port + " (log " + this.log + ")";
	}

}
