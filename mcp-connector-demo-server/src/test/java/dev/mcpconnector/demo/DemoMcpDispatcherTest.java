package dev.mcpconnector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The routing rule alone: which POSTs the 2026-07-28 server gets when both revisions are on. */
class DemoMcpDispatcherTest {

    @Test
    void versionHeaderIsModernWhenItNames20260728OrLater() {
        assertThat(DemoMcpDispatcher.isModernVersion("2026-07-28")).isTrue();
        assertThat(DemoMcpDispatcher.isModernVersion(" 2027-01-01 ")).isTrue();
        assertThat(DemoMcpDispatcher.isModernVersion("2025-11-25")).isFalse();
        assertThat(DemoMcpDispatcher.isModernVersion("2024-11-05")).isFalse();
        assertThat(DemoMcpDispatcher.isModernVersion("draft")).isFalse();
        assertThat(DemoMcpDispatcher.isModernVersion(null)).isFalse();
    }

    @Test
    void bodyIsModernWhenItIsServerDiscoverOrCarriesTheProtocolVersionMeta() {
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\"}")).isTrue();
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}")).isTrue();
        // a version the modern server does not speak still is a modern request: it gets -32022 there
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/protocolVersion\":\"1900-01-01\"}}}")).isTrue();
    }

    @Test
    void bodyIsLegacyWhenItIsInitializeASessionRequestABatchOrNotJson() {
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}}")).isFalse();
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"progressToken\":1}}}")).isFalse();
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/protocolVersion\":\" \"}}}")).isFalse();
        assertThat(modern("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\"}]")).isFalse();
        assertThat(modern("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")).isFalse();
        assertThat(modern("not json")).isFalse();
        assertThat(modern("")).isFalse();
    }

    private static boolean modern(String body) {
        return DemoMcpDispatcher.isModernBody(body.getBytes(StandardCharsets.UTF_8));
    }
}
