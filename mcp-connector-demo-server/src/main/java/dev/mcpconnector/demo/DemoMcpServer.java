package dev.mcpconnector.demo;

import java.util.List;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo MCP server for 2025-11-25 and earlier (Streamable HTTP with {@code initialize} and sessions):
 * {@link DemoTools} in the legacy SDK's types.
 */
final class DemoMcpServer {

    static final String ENDPOINT = "/mcp";

    private DemoMcpServer() {
    }

    static HttpServletStreamableServerTransportProvider transport() {
        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint(ENDPOINT)
                .build();
    }

    static McpSyncServer server(HttpServletStreamableServerTransportProvider transport, DemoTools tools) {
        return McpServer.sync(transport)
                .serverInfo(DemoTools.SERVER_NAME, DemoTools.SERVER_VERSION)
                .instructions(DemoTools.INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .resources(false, true)
                        .prompts(true)
                        .build())
                .tools(tools.tools().stream().map(tool -> tool(tools, tool)).toList())
                .resources(tools.notes().stream().map(note -> note(tools, note)).toList())
                .prompts(new McpServerFeatures.SyncPromptSpecification(
                        new McpSchema.Prompt(DemoTools.PROMPT_NAME, DemoTools.PROMPT_DESCRIPTION,
                                List.of(new McpSchema.PromptArgument(DemoTools.PROMPT_ARGUMENT,
                                        DemoTools.PROMPT_ARGUMENT_DESCRIPTION, true))),
                        (exchange, request) -> new McpSchema.GetPromptResult(DemoTools.PROMPT_RESULT_DESCRIPTION,
                                List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                                        new McpSchema.TextContent(tools.greeting(request.arguments())))))))
                .build();
    }

    private static McpServerFeatures.SyncToolSpecification tool(DemoTools tools, DemoTools.Tool tool) {
        McpSchema.ToolAnnotations.Builder annotations = McpSchema.ToolAnnotations.builder()
                .readOnlyHint(tool.readOnly())
                .destructiveHint(tool.destructive());
        if (tool.idempotent() != null) {
            annotations.idempotentHint(tool.idempotent());
        }
        McpSchema.Tool definition = McpSchema.Tool.builder(tool.name())
                .title(tool.title())
                .description(tool.description())
                .inputSchema(tool.inputSchema())
                .annotations(annotations.build())
                .build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(definition)
                .callHandler((exchange, request) -> {
                    DemoTools.Outcome outcome = tools.call(tool, request.arguments());
                    return McpSchema.CallToolResult.builder().addTextContent(outcome.text()).isError(outcome.error())
                            .build();
                })
                .build();
    }

    private static McpServerFeatures.SyncResourceSpecification note(DemoTools tools, DemoTools.Note note) {
        McpSchema.Resource resource = McpSchema.Resource.builder()
                .uri(note.uri())
                .name(note.name())
                .title(note.title())
                .description(note.description())
                .mimeType(note.mimeType())
                .build();
        return new McpServerFeatures.SyncResourceSpecification(resource,
                (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                        note.uri(), note.mimeType(), tools.text(note)))));
    }
}
