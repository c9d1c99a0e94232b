package dev.mcpconnector.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fast MCP server: the MCP Java SDK's Streamable HTTP servlet in an embedded Tomcat on
 * 127.0.0.1, with one {@code echo} tool (argument {@code message}, as in server-everything). It
 * runs in a JVM of its own ({@link #main(String[])}, started by {@link #fork()}), so its heap,
 * threads and sockets do not blur the client-side figures.
 */
public final class FastMcpServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private FastMcpServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + "/mcp";
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Starts the server in a child JVM with this JVM's class path and waits for its port.
	 * @return the running server
	 */
	public static FastMcpServer fork() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseG1GC", "-cp",
				System.getProperty("java.class.path"), FastMcpServer.class.getName()));
		Path log = Files.createTempFile("fast-mcp-server", ".log");
		Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null) {
			if (line.startsWith("PORT=")) {
				int port = Integer.parseInt(line.substring(5).trim());
				Thread drain = new Thread(() -> {
					try {
						while (out.readLine() != null) {
							// discard
						}
					}
					catch (IOException ex) {
						// exited
					}
				}, "fast-mcp-server-stdout");
				drain.setDaemon(true);
				drain.start();
				return new FastMcpServer(process, port);
			}
		}
		throw new IllegalStateException("The fast MCP server exited before it listened; see " + log + ":\n"
				+ Files.readString(log));
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	/** Runs the server; prints {@code PORT=<port>} once it listens. */
	public static void main(String[] args) throws Exception {
		McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(mapper)
			.mcpEndpoint("/mcp")
			.build();
		McpSchema.Tool echo = McpSchema.Tool.builder("echo")
			.title("Echo")
			.description("Echoes the message")
			.inputSchema(Map.of("type", "object", "properties", Map.of("message", Map.of("type", "string")), "required",
					List.of("message")))
			.annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false).build())
			.build();
		McpSyncServer server = McpServer.sync(transport)
			.serverInfo("fast-echo", "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
			.tools(McpServerFeatures.SyncToolSpecification.builder()
				.tool(echo)
				.callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
					.addTextContent("Echo: " + request.arguments().get("message"))
					.isError(false)
					.build())
				.build())
			.build();

		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("fast-mcp-tomcat").toString());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		tomcat.getConnector().setProperty("maxConnections", "20000");
		tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
		Context context = tomcat.addContext("", null);
		Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
		wrapper.setAsyncSupported(true);
		context.addServletMappingDecoded("/mcp", "mcp");
		tomcat.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			try {
				tomcat.stop();
			}
			catch (Exception ex) {
				// exiting
			}
		}));
		System.out.println("PORT=" + tomcat.getConnector().getLocalPort());
		System.out.flush();
		tomcat.getServer().await();
	}

}
