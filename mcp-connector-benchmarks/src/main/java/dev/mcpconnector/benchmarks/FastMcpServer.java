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

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fast MCP server of both revisions: the MCP Java SDK's Streamable HTTP servlet (2025-11-25)
 * and its 2026-07-28 servlet behind one endpoint in an embedded Tomcat on 127.0.0.1, each with
 * one {@code echo} tool (argument {@code message}, as in server-everything); at
 * {@link #legacyMcpUrl()} the same server speaks 2025-11-25 only. It
 * runs in a JVM of its own ({@link #main(String[])}, started by {@link #fork()}), so its heap,
 * threads and sockets do not blur the client-side figures.
 */
public final class FastMcpServer implements AutoCloseable {

	static final String MODERN_REVISION = "2026-07-28";

	/** The same server at {@code /legacy/mcp} speaks 2025-11-25 only, as an older server does. */
	private static final String LEGACY_PREFIX = "/legacy/";

	private final Process process;

	private final int port;

	private FastMcpServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** @return the endpoint of both revisions */
	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + "/mcp";
	}

	/** @return the endpoint of 2025-11-25 only (the same server and tool) */
	public String legacyMcpUrl() {
		return "http://127.0.0.1:" + this.port + LEGACY_PREFIX + "mcp";
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
		List<String> command = new ArrayList<>(List.of(java, "-Xmx3g", "-XX:+UseG1GC", "-cp",
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

	/**
	 * The same {@code echo} tool for 2026-07-28 (stateless, {@code server/discover}); its tool
	 * list may be cached for an hour by anyone, as a list that does not change would be.
	 */
	private static io.modelcontextprotocol.modern.server.McpServer modernServer(McpJsonMapper mapper) {
		io.modelcontextprotocol.modern.McpSchema.Tool definition = io.modelcontextprotocol.modern.McpSchema.Tool
			.builder("echo", Map.of("type", "object", "properties", Map.of("message", Map.of("type", "string")),
					"required", List.of("message")))
			.title("Echo")
			.description("Echoes the message")
			.annotations(io.modelcontextprotocol.modern.McpSchema.ToolAnnotations.builder()
				.readOnlyHint(true)
				.destructiveHint(false)
				.build())
			.build();
		McpSyncTool echo = McpSyncTool.of(definition,
				(ctx, request) -> McpSyncResponse.result(io.modelcontextprotocol.modern.McpSchema.CallToolResult.builder()
					.addContent(io.modelcontextprotocol.modern.McpSchema.TextContent
						.builder("Echo: " + request.arguments().get("message"))
						.build())
					.isError(false)
					.build()));
		McpSyncToolRepository tools = new McpSyncToolRepository() {

			@Override
			public ToolsPage list(McpRequestContext ctx, String cursor) {
				return ToolsPage.of(List.of(definition));
			}

			@Override
			public McpSyncTool find(McpRequestContext ctx, String name) {
				return "echo".equals(name) ? echo : null;
			}

		};
		return io.modelcontextprotocol.modern.server.McpServer.builder()
			.serverInfo(io.modelcontextprotocol.modern.McpSchema.Implementation.builder("fast-echo", "1.0.0").build())
			.supportedVersions(List.of(MODERN_REVISION))
			.jsonMapper(mapper)
			.feature(ToolsFeature.ofSync(tools, mapper, McpJsonDefaults.getSchemaValidator(), 3_600_000L,
					io.modelcontextprotocol.modern.McpSchema.CacheScope.PUBLIC))
			.build();
	}

	/**
	 * A server of both revisions on one endpoint, as a dual-era server is (2026-07-28
	 * {@code basic/versioning}): a POST whose {@code MCP-Protocol-Version} header names
	 * 2026-07-28 or later goes to the 2026-07-28 server (every 2026-07-28 request over HTTP
	 * carries it), everything else (an {@code initialize}, a 2025 session's requests, GET,
	 * DELETE) to the 2025-11-25 one. Only a header is read, so neither revision pays for the other.
	 */
	private static final class BothRevisions extends HttpServlet {

		private final HttpServlet legacy;

		private final HttpServlet modern;

		BothRevisions(HttpServlet legacy, HttpServlet modern) {
			this.legacy = legacy;
			this.modern = modern;
		}

		@Override
		public void init(ServletConfig config) throws ServletException {
			super.init(config);
			this.legacy.init(config);
			this.modern.init(config);
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response)
				throws ServletException, IOException {
			String version = request.getHeader("MCP-Protocol-Version");
			boolean modern = !request.getRequestURI().startsWith(LEGACY_PREFIX) && "POST".equals(request.getMethod())
					&& version != null
					&& version.trim().compareTo(MODERN_REVISION) >= 0;
			(modern ? this.modern : this.legacy).service(request, response);
		}

		@Override
		public void destroy() {
			this.modern.destroy();
			this.legacy.destroy();
			super.destroy();
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

		HttpServletMcpTransport modern = HttpServletMcpTransport.builder(modernServer(mapper))
			.jsonMapper(mapper)
			.endpoint("/mcp")
			.build();
		HttpServlet both = new BothRevisions(transport, modern);

		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("fast-mcp-tomcat").toString());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		tomcat.getConnector().setProperty("maxConnections", "20000");
		tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
		Context context = tomcat.addContext("", null);
		Wrapper wrapper = Tomcat.addServlet(context, "mcp", both);
		wrapper.setAsyncSupported(true);
		context.addServletMappingDecoded("/mcp", "mcp");
		context.addServletMappingDecoded(LEGACY_PREFIX + "mcp", "mcp");
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
