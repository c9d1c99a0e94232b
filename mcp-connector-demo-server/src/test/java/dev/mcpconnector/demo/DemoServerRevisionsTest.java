package dev.mcpconnector.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both MCP revisions at one {@code /mcp}, on loopback with real SDK clients (2.2.0's modern client for
 * 2026-07-28, its legacy client for 2025-11-25) and tokens from the demo's own authorization server; and
 * the same server pinned to one revision, as a client sees a server that changed revision.
 */
class DemoServerRevisionsTest {

    static final String REDIRECT_URI = "http://127.0.0.1:1/callback";
    static final JsonMapper JSON = JsonMapper.shared();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    static final String MODERN = "2026-07-28";

    static DemoServer server;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(DemoServerSettings.builder().redirectUri(REDIRECT_URI).build());
        token = accessToken("alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void bothAgain() {
        server.mcpRevisions(DemoMcpRevisions.BOTH);
    }

    @Test
    void modernClientDiscoversListsAndCallsWithATokenFromTheDemoAuthorizationServer() {
        assertThat(server.mcpRevisions()).isEqualTo(DemoMcpRevisions.BOTH);
        McpSyncClient client = modernClient(token);
        long modernPosts = server.counters().modernMcpPosts();

        McpSchema.DiscoverResult discover = client.discover();
        assertThat(discover.supportedVersions()).containsExactly(MODERN);
        assertThat(discover.capabilities().tools()).isNotNull();
        assertThat(discover.meta()).containsKey("io.modelcontextprotocol/serverInfo");

        McpSchema.ListToolsResult tools = client.tools().list();
        Map<String, McpSchema.Tool> byName = tools.tools().stream()
                .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
        assertThat(byName).containsOnlyKeys("echo", "add", "slow", "delete-note");
        assertThat(byName.get("delete-note").annotations().destructiveHint()).isTrue();
        assertThat(byName.get("add").inputSchema()).containsEntry("type", "object");

        McpSchema.CallToolResult sum = client.tool("add").arguments(Map.of("a", 2, "b", 3.5)).call();
        assertThat(sum.isError()).isFalse();
        assertThat(((McpSchema.TextContent) sum.content().get(0)).text()).isEqualTo("5.5");
        assertThat(server.counters().toolCalls("add")).isGreaterThanOrEqualTo(1);

        McpSchema.ReadResourceResult note = client.resource("demo://notes/1").read();
        assertThat(((McpSchema.TextResourceContents) note.contents().get(0)).text()).isEqualTo("Buy milk.");
        McpSchema.GetPromptResult prompt = client.prompt("greeting").arguments(Map.of("name", "Ada")).get();
        assertThat(((McpSchema.TextContent) prompt.messages().get(0).content()).text()).isEqualTo("Hello, Ada!");

        assertThat(server.counters().modernMcpPosts() - modernPosts).isGreaterThanOrEqualTo(5);
    }

    @Test
    void warmModernCallIsExactlyOneHttpRequest() {
        McpSyncClient client = modernClient(token);
        McpSchema.Tool echo = client.tools().list().tools().stream().filter(t -> t.name().equals("echo"))
                .findFirst().orElseThrow();
        long posts = server.counters().mcpPosts();
        long requests = server.counters().mcpRequests();

        McpSchema.CallToolResult result = client.tool(echo).arguments(Map.of("message", "once")).call();

        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("once");
        assertThat(server.counters().mcpPosts()).isEqualTo(posts + 1);
        assertThat(server.counters().mcpRequests()).isEqualTo(requests + 1);
    }

    @Test
    void modernRequestWithoutTokenGetsTheSameChallengeAsLegacy() throws Exception {
        HttpResponse<String> response = post(null, MODERN, discoverBody(MODERN));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer")
                .contains("resource_metadata=\"" + server.resourceMetadataUrl() + "\"");
        assertThatThrownBy(() -> modernClient("not-a-jwt").discover()).isInstanceOfSatisfying(
                McpHttpStatusException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
    }

    @Test
    void legacyClientStillInitializesAndCalls() {
        long modernPosts = server.counters().modernMcpPosts();
        try (io.modelcontextprotocol.client.McpSyncClient client = legacyClient(token)) {
            io.modelcontextprotocol.spec.McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("mcp-connector-demo-server");
            assertThat(init.protocolVersion()).isLessThan(MODERN);
            assertThat(client.listTools().tools()).extracting(io.modelcontextprotocol.spec.McpSchema.Tool::name)
                    .containsExactlyInAnyOrder("echo", "add", "slow", "delete-note");
            io.modelcontextprotocol.spec.McpSchema.CallToolResult echo = client.callTool(
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("echo", Map.of("message", "hi")));
            assertThat(((io.modelcontextprotocol.spec.McpSchema.TextContent) echo.content().get(0)).text())
                    .isEqualTo("hi");
        }
        assertThat(server.counters().modernMcpPosts()).isEqualTo(modernPosts);
    }

    @Test
    void legacyOnlyAnswersAModernRequestAsA2025ServerDoes() throws Exception {
        server.mcpRevisions(DemoMcpRevisions.LEGACY);

        HttpResponse<String> response = post(token, MODERN, discoverBody(MODERN));

        assertThat(response.statusCode()).isIn(400, 404);
        assertThat(modernErrorCode(response.body())).as(response.body()).isNull();
        assertThatThrownBy(() -> modernClient(token).discover()).isInstanceOfSatisfying(
                McpHttpStatusException.class, e -> assertThat(e.statusCode()).isIn(400, 404));
        // and the 2025 revision still works
        try (io.modelcontextprotocol.client.McpSyncClient client = legacyClient(token)) {
            assertThat(client.initialize().protocolVersion()).isLessThan(MODERN);
        }
    }

    @Test
    void modernOnlyAnswersInitializeAsA2026OnlyServerDoes() throws Exception {
        server.mcpRevisions(DemoMcpRevisions.MODERN);

        HttpResponse<String> response = post(token, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"demo-test\",\"version\":\"1\"}}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(-32022);
        assertThat(error.at("/data/supported").get(0).asString()).isEqualTo(MODERN);
        assertThat(error.get("message").asString()).contains(MODERN);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(server.mcpUrl()))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThatThrownBy(() -> {
            try (io.modelcontextprotocol.client.McpSyncClient client = legacyClient(token)) {
                client.initialize();
            }
        }).isInstanceOf(RuntimeException.class);
        // and the 2026 revision still works, with the same token
        assertThat(modernClient(token).discover().supportedVersions()).containsExactly(MODERN);
    }

    @Test
    void switchingRevisionsKeepsUrlAndToken() {
        McpSyncClient modern = modernClient(token);
        server.mcpRevisions(DemoMcpRevisions.LEGACY);
        assertThatThrownBy(modern::discover).isInstanceOf(McpHttpStatusException.class);
        server.mcpRevisions(DemoMcpRevisions.BOTH);
        assertThat(modern.discover().supportedVersions()).containsExactly(MODERN);
    }

    // ------------------------------------------------------------------ helpers

    static McpSyncClient modernClient(String accessToken) {
        HttpClientMcpTransport transport = HttpClientMcpTransport.builder(URI.create(server.mcpUrl()))
                .requestCustomizer(McpHttpRequestCustomizer.fromSync(
                        (request, headers, context) -> headers.set("Authorization", "Bearer " + accessToken)))
                .build();
        return McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("demo-revisions-test", "1").build())
                .roundTimeout(Duration.ofSeconds(10))
                .build();
    }

    static io.modelcontextprotocol.client.McpSyncClient legacyClient(String accessToken) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.baseUrl())
                .endpoint("/mcp")
                .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization",
                        "Bearer " + accessToken))
                .build();
        return io.modelcontextprotocol.client.McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A {@code server/discover} as a 2026-07-28 client sends it. */
    static String discoverBody(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":\"probe-1\",\"method\":\"server/discover\",\"params\":{\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"" + version + "\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{},"
                + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"demo-test\",\"version\":\"1\"}}}}";
    }

    static HttpResponse<String> post(String accessToken, String version, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.mcpUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (version != null) {
            request.header("MCP-Protocol-Version", version).header("Mcp-Method",
                    JSON.readTree(body).get("method").asString());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The code of a JSON-RPC error that only a 2026-07-28 server sends (-32020..-32022), or null. */
    static Integer modernErrorCode(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        }
        catch (RuntimeException e) {
            return null;
        }
        JsonNode code = node == null ? null : node.has("error") ? node.at("/error/code") : node.get("code");
        if (code == null || !code.isInt()) {
            return null;
        }
        int value = code.asInt();
        return value <= -32020 && value >= -32022 ? value : null;
    }

    /** Authorization code + PKCE S256 with the RFC 8707 resource = /mcp, as DemoServerTest does. */
    static String accessToken(String user) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", server.clientId());
        authorize.put("redirect_uri", REDIRECT_URI);
        authorize.put("scope", "mcp:tools");
        authorize.put("state", "s1");
        authorize.put("code_challenge", challenge);
        authorize.put("code_challenge_method", "S256");
        authorize.put("resource", server.mcpUrl());
        URI redirect = new DemoBrowser(user, user).authorize(server.issuer() + "/oauth2/authorize?" + form(authorize));
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", DemoBrowser.queryParameter(redirect, "code"));
        exchange.put("redirect_uri", REDIRECT_URI);
        exchange.put("code_verifier", verifier);
        exchange.put("resource", server.mcpUrl());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (server.clientId() + ":" + server.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(exchange))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    static String form(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }
}
