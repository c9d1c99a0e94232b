package dev.mcpconnector.ai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolDescriptor;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The gateway's MCP methods, one JSON-RPC request at a time (the SDK's stateless transport).
 * Holds no user: each request takes its {@link Call} from the transport context that
 * {@link McpGatewayServlet} filled from that request's authentication.
 */
final class McpGatewayHandlers implements McpStatelessServerHandler {

	/** Key of the request's {@link Call} in the {@link McpTransportContext}. */
	static final String CALL = McpGatewayHandlers.class.getName() + ".call";

	private final McpToolExecutor executor;

	private final GatewayCatalog catalog;

	private final McpJsonMapper json;

	private final McpSchema.Implementation serverInfo;

	private final List<String> protocolVersions;

	McpGatewayHandlers(McpToolExecutor executor, GatewayCatalog catalog, McpJsonMapper json,
			McpSchema.Implementation serverInfo, List<String> protocolVersions) {
		this.executor = executor;
		this.catalog = catalog;
		this.json = json;
		this.serverInfo = serverInfo;
		this.protocolVersions = protocolVersions;
	}

	@Override
	public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context,
			McpSchema.JSONRPCRequest request) {
		return Mono.fromCallable(() -> answer(call(context), request.method(), request.params()))
			.map((result) -> new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), result, null))
			.onErrorResume((ex) -> Mono.just(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(),
					null, mcpError(ex).getJsonRpcError())));
	}

	@Override
	public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
		// notifications/initialized, cancellations: nothing is running between requests.
		return Mono.empty();
	}

	private Object answer(Call call, String method, Object params) {
		return switch (method) {
			case McpSchema.METHOD_INITIALIZE -> initialize(call, params);
			case McpSchema.METHOD_PING -> Map.of();
			case McpSchema.METHOD_TOOLS_LIST -> listTools(call);
			case McpSchema.METHOD_TOOLS_CALL -> callTool(call, params);
			case McpSchema.METHOD_RESOURCES_LIST ->
				new McpSchema.ListResourcesResult(this.catalog.resources(call.owner(), call.scope()), null);
			case McpSchema.METHOD_RESOURCES_TEMPLATES_LIST -> new McpSchema.ListResourceTemplatesResult(
					this.catalog.resourceTemplates(call.owner(), call.scope()), null);
			case McpSchema.METHOD_RESOURCES_READ -> this.catalog.read(call.owner(), call.scope(),
					this.<McpSchema.ReadResourceRequest>convert(params, new TypeRef<>() {
					}).uri());
			case McpSchema.METHOD_PROMPT_LIST ->
				new McpSchema.ListPromptsResult(this.catalog.prompts(call.owner(), call.scope()), null);
			case McpSchema.METHOD_PROMPT_GET -> getPrompt(call, params);
			default -> throw McpError.builder(McpSchema.ErrorCodes.METHOD_NOT_FOUND)
				.message("Method not found: " + method)
				.build();
		};
	}

	private McpSchema.InitializeResult initialize(Call call, Object params) {
		McpSchema.InitializeRequest request = convert(params, new TypeRef<>() {
		});
		String latest = this.protocolVersions.get(this.protocolVersions.size() - 1);
		String version = this.protocolVersions.contains(request.protocolVersion()) ? request.protocolVersion()
				: latest;
		call.sessionOpener().run();
		McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder()
			.tools(false)
			.resources(false, false)
			.prompts(false)
			.build();
		return new McpSchema.InitializeResult(version, capabilities, this.serverInfo, call.scope().single()
				? "The tools, resources and prompts of one MCP server this user connected, under its own names."
				: "The tools, resources and prompts of the MCP servers this user connected, each named "
						+ "<connection>__<name>.");
	}

	private McpSchema.ListToolsResult listTools(Call call) {
		List<McpSchema.Tool> tools = tools(call).entrySet()
			.stream()
			.map((entry) -> exported(entry.getValue(), entry.getKey()))
			.toList();
		return new McpSchema.ListToolsResult(tools, null);
	}

	/** The tools the call may see, by the name it sees them under. */
	private Map<String, McpToolDescriptor> tools(Call call) {
		ToolNameMapper names = ToolNameMapper.of(this.executor.tools(call.owner()));
		Set<UUID> visible = this.catalog.visible(call.owner(), call.scope())
			.stream()
			.map(GatewayCatalog.Exposed::id)
			.collect(Collectors.toSet());
		Map<String, McpToolDescriptor> tools = new LinkedHashMap<>();
		for (McpToolDescriptor descriptor : names.descriptors()) {
			String qualified = names.nameOf(descriptor);
			if (visible.contains(descriptor.connectionId()) && call.scope().allowsTool(qualified, descriptor.name())) {
				tools.put(call.scope().single() ? descriptor.name() : qualified, descriptor);
			}
		}
		return tools;
	}

	private McpSchema.GetPromptResult getPrompt(Call call, Object params) {
		McpSchema.GetPromptRequest request = convert(params, new TypeRef<>() {
		});
		return this.catalog.prompt(call.owner(), call.scope(), request.name(),
				(request.arguments() != null) ? request.arguments() : Map.of());
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

	private McpSchema.CallToolResult callTool(Call call, Object params) {
		McpSchema.CallToolRequest request = convert(params, new TypeRef<>() {
		});
		McpToolDescriptor descriptor = Optional.ofNullable(tools(call).get(request.name()))
			.orElseThrow(() -> McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
				.message("Unknown tool: " + request.name())
				.build());
		try {
			return this.executor.callTool(call.owner(), descriptor.connectionId(), descriptor.name(),
					(request.arguments() != null) ? request.arguments() : Map.of());
		}
		catch (RuntimeException ex) {
			return McpSchema.CallToolResult.builder()
				.addTextContent(ToolCallMessages.failure(ex))
				.isError(true)
				.build();
		}
	}

	private <T> T convert(Object params, TypeRef<T> type) {
		if (params == null) {
			throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("Missing params").build();
		}
		try {
			return this.json.convertValue(params, type);
		}
		catch (RuntimeException ex) {
			throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("Invalid params").build();
		}
	}

	/** An unexpected failure reaches the MCP client without its message (which may name internals). */
	private static McpError mcpError(Throwable ex) {
		if (ex instanceof McpError error) {
			return error;
		}
		return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
			.message((ex instanceof McpConnectorException typed) ? typed.errorCode()
					: "The request could not be completed")
			.build();
	}

	private static Call call(McpTransportContext context) {
		Object call = (context != null) ? context.get(CALL) : null;
		if (!(call instanceof Call resolved)) {
			// The servlet refuses unauthenticated requests before the transport sees them.
			throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message("No authenticated user").build();
		}
		return resolved;
	}

	/**
	 * One request's caller.
	 * @param owner whose connections it sees
	 * @param scope what of the owner's connections it may reach
	 * @param sessionOpener puts a new session id on the response (called by {@code initialize})
	 */
	record Call(McpOwner owner, GatewayScope scope, Runnable sessionOpener) {
	}

}
