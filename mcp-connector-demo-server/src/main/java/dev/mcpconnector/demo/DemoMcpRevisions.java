package dev.mcpconnector.demo;

/**
 * Which MCP revisions the demo server speaks at {@code /mcp}. Set it with
 * {@link DemoServerSettings.Builder#mcpRevisions(DemoMcpRevisions)} or switch a running server with
 * {@link DemoServer#mcpRevisions(DemoMcpRevisions)}, to simulate a server that changes revision while its
 * URL, authorization server and tokens stay the same.
 */
public enum DemoMcpRevisions {

    /**
     * Both, on the same endpoint: a request the 2026-07-28 rule calls modern goes to the 2026-07-28 server,
     * everything else (an {@code initialize}, GET, DELETE, a 2025 session's requests) to the 2025-11-25 one.
     */
    BOTH,

    /** 2025-11-25 and earlier only: a 2026-07-28 request gets what a 2025 server answers (no modern error). */
    LEGACY,

    /** 2026-07-28 only: an {@code initialize} gets what a 2026-only server answers (-32022, HTTP 400). */
    MODERN;

    /** Whether requests of this revision set can reach the 2026-07-28 server. */
    boolean modern() {
        return this != LEGACY;
    }

    /** Parses {@code both}, {@code legacy} or {@code modern}, in any case. */
    public static DemoMcpRevisions of(String value) {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
