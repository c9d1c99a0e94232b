package dev.mcpconnector.demo;

import java.util.List;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncPromptRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncResource;
import io.modelcontextprotocol.modern.server.feature.McpSyncResourceRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.PromptsFeature;
import io.modelcontextprotocol.modern.server.feature.PromptsPage;
import io.modelcontextprotocol.modern.server.feature.ResourcesFeature;
import io.modelcontextprotocol.modern.server.feature.ResourcesPage;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo MCP server for 2026-07-28 (stateless, {@code _meta} on every request, {@code server/discover}):
 * {@link DemoTools} in the SDK's {@code io.modelcontextprotocol.modern} types. Lists are not cacheable
 * ({@code ttlMs} 0, {@code cacheScope} private) because a note can be deleted at any time.
 */
final class DemoModernMcpServer {

    /** The one revision this server speaks. */
    static final String PROTOCOL_VERSION = "2026-07-28";

    private DemoModernMcpServer() {
    }

    static McpServer server(DemoTools tools) {
        McpJsonMapper mapper = mapper();
        return McpServer.builder()
                .serverInfo(McpSchema.Implementation.builder(DemoTools.SERVER_NAME, DemoTools.SERVER_VERSION).build())
                .instructions(DemoTools.INSTRUCTIONS)
                .supportedVersions(List.of(PROTOCOL_VERSION))
                .jsonMapper(mapper)
                .feature(ToolsFeature.ofSync(toolRepository(tools), mapper, McpJsonDefaults.getSchemaValidator(), 0L,
                        McpSchema.CacheScope.PRIVATE))
                .feature(ResourcesFeature.ofSync(resourceRepository(tools), mapper, 0L, McpSchema.CacheScope.PRIVATE))
                .feature(PromptsFeature.ofSync(promptRepository(tools), mapper, 0L, McpSchema.CacheScope.PRIVATE))
                .build();
    }

    static HttpServletMcpTransport transport(McpServer server) {
        return HttpServletMcpTransport.builder(server)
                .jsonMapper(mapper())
                .endpoint(DemoMcpServer.ENDPOINT)
                .build();
    }

    private static McpJsonMapper mapper() {
        return new JacksonMcpJsonMapper(JsonMapper.shared());
    }

    private static McpSyncToolRepository toolRepository(DemoTools tools) {
        List<McpSyncTool> all = tools.tools().stream().map(tool -> tool(tools, tool)).toList();
        return new McpSyncToolRepository() {

            @Override
            public ToolsPage list(McpRequestContext ctx, String cursor) {
                return ToolsPage.of(all.stream().map(McpSyncTool::definition).toList());
            }

            @Override
            public McpSyncTool find(McpRequestContext ctx, String name) {
                return all.stream().filter(t -> t.definition().name().equals(name)).findFirst().orElse(null);
            }
        };
    }

    private static McpSyncTool tool(DemoTools tools, DemoTools.Tool tool) {
        McpSchema.ToolAnnotations.Builder annotations = McpSchema.ToolAnnotations.builder()
                .readOnlyHint(tool.readOnly())
                .destructiveHint(tool.destructive());
        if (tool.idempotent() != null) {
            annotations.idempotentHint(tool.idempotent());
        }
        McpSchema.Tool definition = McpSchema.Tool.builder(tool.name(), tool.inputSchema())
                .title(tool.title())
                .description(tool.description())
                .annotations(annotations.build())
                .build();
        return McpSyncTool.of(definition, (ctx, request) -> {
            DemoTools.Outcome outcome = tools.call(tool, request.arguments());
            return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                    .addContent(McpSchema.TextContent.builder(outcome.text()).build())
                    .isError(outcome.error())
                    .build());
        });
    }

    private static McpSyncResourceRepository resourceRepository(DemoTools tools) {
        return new McpSyncResourceRepository() {

            @Override
            public ResourcesPage list(McpRequestContext ctx, String cursor) {
                return ResourcesPage.of(tools.notes().stream()
                        .map(note -> McpSchema.Resource.builder(note.uri(), note.name())
                                .title(note.title())
                                .description(note.description())
                                .mimeType(note.mimeType())
                                .build())
                        .toList());
            }

            @Override
            public McpSyncResource find(McpRequestContext ctx, String uri) {
                DemoTools.Note note = tools.note(uri);
                if (note == null) {
                    return null;
                }
                return McpSyncResource.of((c, request) -> McpSyncResponse.result(McpSchema.ReadResourceResult
                        .builder(List.of(McpSchema.TextResourceContents.builder(note.uri(), tools.text(note))
                                .mimeType(note.mimeType())
                                .build()))
                        .build()));
            }
        };
    }

    private static McpSyncPromptRepository promptRepository(DemoTools tools) {
        McpSyncPrompt greeting = McpSyncPrompt.of(McpSchema.Prompt.builder(DemoTools.PROMPT_NAME)
                .description(DemoTools.PROMPT_DESCRIPTION)
                .arguments(List.of(McpSchema.PromptArgument.builder(DemoTools.PROMPT_ARGUMENT)
                        .description(DemoTools.PROMPT_ARGUMENT_DESCRIPTION)
                        .required(true)
                        .build()))
                .build(),
                (ctx, request) -> McpSyncResponse.result(McpSchema.GetPromptResult
                        .builder(List.of(McpSchema.PromptMessage.builder(McpSchema.Role.USER,
                                McpSchema.TextContent.builder(tools.greeting(request.arguments())).build()).build()))
                        .description(DemoTools.PROMPT_RESULT_DESCRIPTION)
                        .build()));
        return new McpSyncPromptRepository() {

            @Override
            public PromptsPage list(McpRequestContext ctx, String cursor) {
                return PromptsPage.of(List.of(greeting.definition()));
            }

            @Override
            public McpSyncPrompt find(McpRequestContext ctx, String name) {
                return DemoTools.PROMPT_NAME.equals(name) ? greeting : null;
            }
        };
    }
}
