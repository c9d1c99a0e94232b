package dev.mcpconnector.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

/** The demo MCP server: tools echo, add, slow, delete-note; resources demo://notes/{1,2}; prompt greeting. */
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

    static McpSyncServer server(HttpServletStreamableServerTransportProvider transport, DemoCounters counters) {
        ConcurrentMap<String, String> notes = new ConcurrentHashMap<>();
        notes.put("1", "Buy milk.");
        notes.put("2", "Call Bob about the MCP demo.");

        McpSchema.Tool echo = McpSchema.Tool.builder("echo")
                .title("Echo")
                .description("Returns the given message unchanged")
                .inputSchema(objectSchema(Map.of("message", Map.of("type", "string")), List.of("message")))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false).build())
                .build();
        McpSchema.Tool add = McpSchema.Tool.builder("add")
                .title("Add")
                .description("Adds two numbers and returns the sum as text")
                .inputSchema(objectSchema(Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")),
                        List.of("a", "b")))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false).build())
                .build();
        McpSchema.Tool slow = McpSchema.Tool.builder("slow")
                .title("Slow")
                .description("Sleeps for the given number of milliseconds, then answers")
                .inputSchema(objectSchema(Map.of("ms", Map.of("type", "integer")), List.of("ms")))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).destructiveHint(false).build())
                .build();
        McpSchema.Tool deleteNote = McpSchema.Tool.builder("delete-note")
                .title("Delete note")
                .description("Deletes a note by id (destructive)")
                .inputSchema(objectSchema(Map.of("id", Map.of("type", "string")), List.of("id")))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(false).destructiveHint(true)
                        .idempotentHint(true).build())
                .build();

        return McpServer.sync(transport)
                .serverInfo("mcp-connector-demo-server", "0.1.0")
                .instructions("Demo MCP server protected by OAuth 2.1, used by mcp-connector's tests and sample app.")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .resources(false, true)
                        .prompts(true)
                        .build())
                .tools(
                        tool(echo, counters, args -> String.valueOf(args.get("message"))),
                        tool(add, counters, args -> number(args.get("a")).add(number(args.get("b")))
                                .stripTrailingZeros().toPlainString()),
                        tool(slow, counters, args -> {
                            long ms = number(args.get("ms")).longValue();
                            try {
                                Thread.sleep(Math.max(0, ms));
                            }
                            catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException("interrupted");
                            }
                            return "slept " + ms + " ms";
                        }),
                        tool(deleteNote, counters, args -> {
                            String id = String.valueOf(args.get("id"));
                            return notes.remove(id) != null ? "deleted note " + id : "no note " + id;
                        }))
                .resources(note("1", notes), note("2", notes))
                .prompts(new McpServerFeatures.SyncPromptSpecification(
                        new McpSchema.Prompt("greeting", "Greets someone by name",
                                List.of(new McpSchema.PromptArgument("name", "Who to greet", true))),
                        (exchange, request) -> {
                            Object name = request.arguments() == null ? null : request.arguments().get("name");
                            return new McpSchema.GetPromptResult("A greeting",
                                    List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                                            new McpSchema.TextContent("Hello, " + (name == null ? "stranger" : name)
                                                    + "!"))));
                        }))
                .build();
    }

    private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    private static BigDecimal number(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("missing number");
        }
        return new BigDecimal(value.toString());
    }

    private static McpServerFeatures.SyncToolSpecification tool(McpSchema.Tool tool, DemoCounters counters,
            java.util.function.Function<Map<String, Object>, String> body) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    counters.toolCall(tool.name());
                    Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
                    try {
                        return McpSchema.CallToolResult.builder().addTextContent(body.apply(args)).isError(false)
                                .build();
                    }
                    catch (RuntimeException e) {
                        return McpSchema.CallToolResult.builder().addTextContent("error: " + e.getMessage())
                                .isError(true).build();
                    }
                })
                .build();
    }

    private static McpServerFeatures.SyncResourceSpecification note(String id, Map<String, String> notes) {
        String uri = "demo://notes/" + id;
        McpSchema.Resource resource = McpSchema.Resource.builder()
                .uri(uri)
                .name("note-" + id)
                .title("Note " + id)
                .description("A demo note")
                .mimeType("text/plain")
                .build();
        return new McpServerFeatures.SyncResourceSpecification(resource,
                (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                        uri, "text/plain", notes.getOrDefault(id, "(deleted)")))));
    }
}
