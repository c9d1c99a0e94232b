package dev.mcpconnector.demo;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * What the demo MCP server offers, written once for every protocol revision: tools echo, add, slow and
 * delete-note; resources {@code demo://notes/{1,2}}; prompt greeting. {@link DemoMcpServer} (2025-11-25 and
 * earlier) and {@link DemoModernMcpServer} (2026-07-28) only adapt these to their SDK's types, so both serve
 * the same notes: a note deleted through one revision is gone in the other.
 */
final class DemoTools {

    static final String SERVER_NAME = "mcp-connector-demo-server";
    static final String SERVER_VERSION = "0.1.0";
    static final String INSTRUCTIONS =
            "Demo MCP server protected by OAuth 2.1, used by mcp-connector's tests and sample app.";
    static final String PROMPT_NAME = "greeting";
    static final String PROMPT_DESCRIPTION = "Greets someone by name";
    static final String PROMPT_ARGUMENT = "name";
    static final String PROMPT_ARGUMENT_DESCRIPTION = "Who to greet";
    static final String PROMPT_RESULT_DESCRIPTION = "A greeting";

    /** One tool: its definition and a body that turns arguments into the text of the result. */
    record Tool(String name, String title, String description, Map<String, Object> inputSchema, boolean readOnly,
            boolean destructive, Boolean idempotent, Function<Map<String, Object>, String> body) {
    }

    /** What a call answered: its text, and whether it is an error result. */
    record Outcome(String text, boolean error) {
    }

    /** One note resource. */
    record Note(String id) {

        String uri() {
            return "demo://notes/" + id;
        }

        String name() {
            return "note-" + id;
        }

        String title() {
            return "Note " + id;
        }

        String description() {
            return "A demo note";
        }

        String mimeType() {
            return "text/plain";
        }
    }

    private final DemoCounters counters;
    private final ConcurrentMap<String, String> notes = new ConcurrentHashMap<>();
    private final Map<String, Tool> tools = new LinkedHashMap<>();

    DemoTools(DemoCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        notes.put("1", "Buy milk.");
        notes.put("2", "Call Bob about the MCP demo.");
        add(new Tool("echo", "Echo", "Returns the given message unchanged",
                objectSchema(Map.of("message", Map.of("type", "string")), List.of("message")), true, false, null,
                args -> String.valueOf(args.get("message"))));
        add(new Tool("add", "Add", "Adds two numbers and returns the sum as text",
                objectSchema(Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")), List.of("a", "b")),
                true, false, null,
                args -> number(args.get("a")).add(number(args.get("b"))).stripTrailingZeros().toPlainString()));
        add(new Tool("slow", "Slow", "Sleeps for the given number of milliseconds, then answers",
                objectSchema(Map.of("ms", Map.of("type", "integer")), List.of("ms")), true, false, null,
                DemoTools::sleep));
        add(new Tool("delete-note", "Delete note", "Deletes a note by id (destructive)",
                objectSchema(Map.of("id", Map.of("type", "string")), List.of("id")), false, true, true, args -> {
                    String id = String.valueOf(args.get("id"));
                    return notes.remove(id) != null ? "deleted note " + id : "no note " + id;
                }));
    }

    List<Tool> tools() {
        return List.copyOf(tools.values());
    }

    /** Runs a tool and counts the call; a failing body is an error result, never an exception. */
    Outcome call(Tool tool, Map<String, Object> arguments) {
        counters.toolCall(tool.name());
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        try {
            return new Outcome(tool.body().apply(args), false);
        }
        catch (RuntimeException e) {
            return new Outcome("error: " + e.getMessage(), true);
        }
    }

    List<Note> notes() {
        return List.of(new Note("1"), new Note("2"));
    }

    /** The note with this URI, or null. */
    Note note(String uri) {
        return notes().stream().filter(n -> n.uri().equals(uri)).findFirst().orElse(null);
    }

    String text(Note note) {
        return notes.getOrDefault(note.id(), "(deleted)");
    }

    /** The one message of the greeting prompt. */
    String greeting(Map<String, ?> arguments) {
        Object name = arguments == null ? null : arguments.get(PROMPT_ARGUMENT);
        return "Hello, " + (name == null ? "stranger" : name) + "!";
    }

    private void add(Tool tool) {
        tools.put(tool.name(), tool);
    }

    private static String sleep(Map<String, Object> args) {
        long ms = number(args.get("ms")).longValue();
        try {
            Thread.sleep(Math.max(0, ms));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return "slept " + ms + " ms";
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
}
