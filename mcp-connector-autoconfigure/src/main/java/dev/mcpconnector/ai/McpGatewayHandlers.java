package dev.mcpconnector.ai;

import java.util.List;
import java.util.Map;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The gateway's MCP methods. Holds no user: each request takes its owner from the transport
 * context that {@link McpGatewayServlet} filled from that request's authentication.
 */
final class McpGatewayHandlers {

	/** Key of the request's {@link McpOwner} in the {@link McpTransportContext}. */
	static final String OWNER = McpGatewayHandlers.class.getName() + ".owner";

	private final McpToolExecutor executor;

	private final McpJsonMapper json;

	private final McpSchema.Implementation serverInfo;

	private final List<String> protocolVersions;

	McpGatewayHandlers(McpToolExecutor executor, McpJsonMapper json, McpSchema.Implementation serverInfo,
			List<String> protocolVersions) {
		this.executor = executor;
		this.json = json;
		this.serverInfo = serverInfo;
		this.protocolVersions = protocolVersions;
	}

	Mono<McpSchema.InitializeResult> initialize(McpSchema.InitializeRequest request) {
		return Mono.fromSupplier(() -> {
			String latest = this.protocolVersions.get(this.protocolVersions.size() - 1);
			String version = this.protocolVersions.contains(request.protocolVersion()) ? request.protocolVersion()
					: latest;
			return new McpSchema.InitializeResult(version,
					McpSchema.ServerCapabilities.builder().tools(false).build(), this.serverInfo,
					"The tools of the MCP servers this user connected, each named <connection>__<tool>.");
		});
	}

	Map<String, McpRequestHandler<?>> requestHandlers() {
		McpRequestHandler<Map<String, Object>> ping = (exchange, params) -> Mono.just(Map.of());
		McpRequestHandler<McpSchema.ListToolsResult> list = this::listTools;
		McpRequestHandler<McpSchema.CallToolResult> call = this::callTool;
		return Map.of(McpSchema.METHOD_PING, ping, McpSchema.METHOD_TOOLS_LIST, list, McpSchema.METHOD_TOOLS_CALL,
				call);
	}

	Map<String, McpNotificationHandler> notificationHandlers() {
		return Map.of(McpSchema.METHOD_NOTIFICATION_INITIALIZED, (exchange, params) -> Mono.empty());
	}

	private Mono<McpSchema.ListToolsResult> listTools(McpAsyncServerExchange exchange, Object params) {
		return Mono.fromCallable(() -> {
			ToolNameMapper names = ToolNameMapper.of(this.executor.tools(owner(exchange)));
			List<McpSchema.Tool> tools = names.descriptors().stream().map((d) -> exported(d, names.nameOf(d))).toList();
			return new McpSchema.ListToolsResult(tools, null);
		}).onErrorMap((ex) -> !(ex instanceof McpError), McpGatewayHandlers::internalError);
	}

	/** An unexpected failure reaches the MCP client without its message (which may name internals). */
	private static McpError internalError(Throwable ex) {
		return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
			.message((ex instanceof dev.mcpconnector.McpConnectorException typed) ? typed.errorCode()
					: "The request could not be completed")
			.build();
	}

	private static McpSchema.Tool exported(McpToolDescriptor descriptor, String name) {
		McpSchema.Tool tool = descriptor.tool();
		return McpSchema.Tool.builder()
			.name(name)
			.title(tool.title())
			.description(ToolSchemas.description(descriptor))
			.inputSchema(ToolSchemas.inputSchema(tool))
			.annotations(tool.annotations())
			.build();
	}

	private Mono<McpSchema.CallToolResult> callTool(McpAsyncServerExchange exchange, Object params) {
		return Mono.fromCallable(() -> {
			McpOwner owner = owner(exchange);
			McpSchema.CallToolRequest request = this.json.convertValue(params, new TypeRef<McpSchema.CallToolRequest>() {
			});
			McpToolDescriptor descriptor = ToolNameMapper.of(this.executor.tools(owner))
				.find(request.name())
				.orElseThrow(() -> McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
					.message("Unknown tool: " + request.name())
					.build());
			try {
				return this.executor.callTool(owner, descriptor.connectionId(), descriptor.name(),
						(request.arguments() != null) ? request.arguments() : Map.of());
			}
			catch (RuntimeException ex) {
				return McpSchema.CallToolResult.builder()
					.addTextContent(ToolCallMessages.failure(ex))
					.isError(true)
					.build();
			}
		}).onErrorMap((ex) -> !(ex instanceof McpError), McpGatewayHandlers::internalError);
	}

	private static McpOwner owner(McpAsyncServerExchange exchange) {
		Object owner = (exchange.transportContext() != null) ? exchange.transportContext().get(OWNER) : null;
		if (!(owner instanceof McpOwner resolved)) {
			// The servlet refuses unauthenticated requests before the transport sees them.
			throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message("No authenticated user").build();
		}
		return resolved;
	}

}
