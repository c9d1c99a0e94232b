package dev.mcpconnector.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.ai.ToolNameMapper;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The tool operations of the {@link McpToolExecutor}: listing (what the interceptors let the
 * owner see, named by {@link ToolNameMapper} across connections) and calling through the
 * {@link ToolCallPipeline}.
 */
final class ToolCalls {

	private static final Logger logger = LoggerFactory.getLogger(ToolCalls.class);

	private final McpConnectionService connections;

	private final SessionRunner runner;

	private final ToolCallPipeline pipeline;

	ToolCalls(McpConnectionService connections, SessionRunner runner, ToolCallPipeline pipeline) {
		this.connections = connections;
		this.runner = runner;
		this.pipeline = pipeline;
	}

	List<McpToolDescriptor> tools(McpOwner owner) {
		List<McpToolDescriptor> all = new ArrayList<>();
		for (McpConnection connection : this.connections.list(owner)) {
			if (connection.status() != ConnectionStatus.ACTIVE) {
				continue;
			}
			try {
				listTools(owner, connection.id())
					.forEach((tool) -> all.add(new McpToolDescriptor(connection.id(), connection.name(), null, tool)));
			}
			catch (McpConnectorException ex) {
				logger.info("Skipping the tools of connection {}: {}", connection.id(), ex.getMessage());
			}
		}
		// The names Spring AI and the gateway expose, so a name from any of them calls the same tool.
		ToolNameMapper names = ToolNameMapper.of(all);
		return all.stream()
			.map((d) -> new McpToolDescriptor(d.connectionId(), d.connectionName(), names.nameOf(d), d.tool()))
			.toList();
	}

	List<McpSchema.Tool> listTools(McpOwner owner, UUID connectionId) {
		return this.runner.execute(owner, connectionId, "Listing tools", (session) -> session.listedTools()
			.stream()
			.filter((tool) -> this.pipeline.allowsListing(context(session, tool.name(), tool, Map.of())))
			.toList());
	}

	McpSchema.CallToolResult callTool(McpOwner owner, UUID connectionId, String tool, Map<String, Object> arguments) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		Assert.hasText(tool, "tool cannot be empty");
		Map<String, Object> args = (arguments != null) ? arguments : Map.of();
		McpSession session = this.runner.session(owner, connectionId);
		Supplier<ToolCallContext> context = () -> {
			// The definition costs a tools/list round trip on a session's first call; skip it when
			// no interceptor reads it (a warm session has it cached anyway).
			McpSchema.Tool described = (session.cachedTools() == null && !this.pipeline.needsToolDefinition()) ? null
					: this.runner.execute(owner, connectionId, "Listing tools", (s) -> s.allTools()
						.stream()
						.filter((t) -> t.name().equals(tool))
						.findFirst()
						.orElse(null));
			return context(session, tool, described, args);
		};
		return this.pipeline.run(context, context(session, tool, null, args), () -> this.runner.execute(owner,
				connectionId, "Calling tool " + tool, (s) -> s.peer().callTool(tool, args)));
	}

	McpSchema.CallToolResult callTool(McpOwner owner, UUID connectionId, String tool, String jsonArguments) {
		Map<String, Object> arguments;
		try {
			arguments = (jsonArguments == null || jsonArguments.isBlank()) ? Map.of()
					: McpJsonDefaults.getMapper().readValue(jsonArguments, new TypeRef<>() {
					});
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new McpExecutionException(McpConnectorErrorCode.INVALID_TOOL_ARGUMENTS, connectionId, null,
					"The arguments are not a JSON object", null);
		}
		return callTool(owner, connectionId, tool, arguments);
	}

	McpSchema.CallToolResult callTool(McpOwner owner, String qualifiedName, Map<String, Object> arguments) {
		McpToolDescriptor descriptor = tools(owner).stream()
			.filter((t) -> t.qualifiedName().equals(qualifiedName))
			.findFirst()
			.orElseThrow(() -> new McpExecutionException(McpConnectorErrorCode.TOOL_NOT_FOUND, null, null,
					"No such tool", null));
		return callTool(owner, descriptor.connectionId(), descriptor.name(), arguments);
	}

	private static ToolCallContext context(McpSession session, String tool, McpSchema.Tool described,
			Map<String, Object> arguments) {
		return new ToolCallContext(session.key().owner(), session.key().connectionId(), tool, described, arguments,
				session.connectionName(), session.serverUrl());
	}

}
