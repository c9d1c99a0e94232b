package dev.mcpconnector.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoServerTest {

    static final String REDIRECT_URI = "http://127.0.0.1:1/callback";
    static final JsonMapper JSON = JsonMapper.shared();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    static DemoServer server;

    @BeforeAll
    static void start() {
        server = DemoServer.start(DemoServerSettings.builder().redirectUri(REDIRECT_URI)
                .accessTokenTimeToLive(Duration.ofSeconds(30)).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void urls() {
        assertThat(server.issuer()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(server.baseUrl()).isEqualTo(server.issuer());
        assertThat(server.mcpUrl()).isEqualTo(server.issuer() + "/mcp");
    }

    @Test
    void authorizationServerMetadata() throws Exception {
        HttpResponse<String> response = get(server.issuer() + "/.well-known/oauth-authorization-server");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(response.body());
        assertThat(metadata.get("issuer").asString()).isEqualTo(server.issuer());
        assertThat(strings(metadata.get("code_challenge_methods_supported"))).contains("S256");
        assertThat(metadata.get("revocation_endpoint").asString()).isEqualTo(server.issuer() + "/oauth2/revoke");
        assertThat(metadata.get("token_endpoint").asString()).isEqualTo(server.issuer() + "/oauth2/token");
        assertThat(metadata.get("authorization_endpoint").asString()).isEqualTo(server.issuer() + "/oauth2/authorize");
        assertThat(metadata.get("registration_endpoint").asString()).isEqualTo(server.issuer() + "/oauth2/register");
        assertThat(strings(metadata.get("grant_types_supported"))).contains("authorization_code", "refresh_token");
        assertThat(strings(metadata.get("token_endpoint_auth_methods_supported"))).contains("client_secret_basic");
    }

    @Test
    void protectedResourceMetadataAndUnauthorized() throws Exception {
        HttpResponse<String> prm = get(server.resourceMetadataUrl());
        assertThat(prm.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(prm.body(), Map.class)).isEqualTo(Map.of(
                "resource", server.mcpUrl(),
                "authorization_servers", List.of(server.issuer()),
                "scopes_supported", List.of("mcp:tools"),
                "bearer_methods_supported", List.of("header"),
                // The MCP server takes DPoP-bound tokens (RFC 9449) as well as bearer ones.
                "dpop_signing_alg_values_supported", List.of("ES256", "PS256", "RS256"),
                "dpop_bound_access_tokens_required", false));

        long before = server.counters().mcpUnauthorized();
        HttpResponse<String> response = mcpPost(null, null, initializeRequest());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer")
                .contains("resource_metadata=\"" + server.issuer() + "/.well-known/oauth-protected-resource/mcp\""));
        HttpResponse<String> badToken = mcpPost("not-a-jwt", null, initializeRequest());
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(badToken.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"").contains("resource_metadata=");
        assertThat(server.counters().mcpUnauthorized()).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void fullFlowMcpRefreshRotationAndRevocation() throws Exception {
        DemoCounters counters = server.counters();
        long codeGrants = counters.tokenRequests("authorization_code");
        long refreshGrants = counters.tokenRequests("refresh_token");
        long revocations = counters.revocationRequests();
        long mcpRequests = counters.mcpRequests();

        Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"), server.clientId(),
                server.clientSecret(), server.mcpUrl());
        String accessToken = (String) tokens.get("access_token");
        String refreshToken = (String) tokens.get("refresh_token");
        assertThat(tokens.get("token_type")).isEqualTo("Bearer");
        assertThat(refreshToken).isNotBlank();

        JsonNode claims = jwtClaims(accessToken);
        assertThat(strings(claims.get("aud"))).containsExactly(server.mcpUrl());
        assertThat(claims.get("iss").asString()).isEqualTo(server.issuer());
        assertThat(claims.get("sub").asString()).isEqualTo("alice");

        // MCP: initialize, initialized, tools/list, tools/call
        HttpResponse<String> init = mcpPost(accessToken, null, initializeRequest());
        assertThat(init.statusCode()).isEqualTo(200);
        String sessionId = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        JsonNode initResult = jsonRpcResult(init);
        assertThat(initResult.at("/serverInfo/name").asString()).isEqualTo("mcp-connector-demo-server");
        String protocolVersion = initResult.get("protocolVersion").asString();

        HttpResponse<String> initialized = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", protocolVersion);
        assertThat(initialized.statusCode()).isEqualTo(202);

        HttpResponse<String> list = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}", protocolVersion);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode tools = jsonRpcResult(list).get("tools");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        tools.forEach(t -> byName.put(t.get("name").asString(), t));
        assertThat(byName).containsOnlyKeys("echo", "add", "slow", "delete-note");
        assertThat(byName.get("delete-note").at("/annotations/destructiveHint").asBoolean()).isTrue();

        HttpResponse<String> call = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"add\","
                        + "\"arguments\":{\"a\":2,\"b\":3.5}}}", protocolVersion);
        assertThat(jsonRpcResult(call).at("/content/0/text").asString()).isEqualTo("5.5");
        HttpResponse<String> echo = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                        + "\"arguments\":{\"message\":\"hi there\"}}}", protocolVersion);
        assertThat(jsonRpcResult(echo).at("/content/0/text").asString()).isEqualTo("hi there");
        HttpResponse<String> resource = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":\"demo://notes/1\"}}",
                protocolVersion);
        assertThat(jsonRpcResult(resource).at("/contents/0/text").asString()).isEqualTo("Buy milk.");
        HttpResponse<String> prompt = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"prompts/get\",\"params\":{\"name\":\"greeting\","
                        + "\"arguments\":{\"name\":\"Ada\"}}}", protocolVersion);
        assertThat(jsonRpcResult(prompt).at("/messages/0/content/text").asString()).isEqualTo("Hello, Ada!");
        HttpResponse<String> slow = mcpPost(accessToken, sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\","
                        + "\"arguments\":{\"ms\":50}}}", protocolVersion);
        assertThat(jsonRpcResult(slow).at("/content/0/text").asString()).isEqualTo("slept 50 ms");

        // refresh rotates the refresh token; the old one is dead afterwards
        HttpResponse<String> refreshed = token(server.clientId(), server.clientSecret(), Map.of(
                "grant_type", "refresh_token", "refresh_token", refreshToken, "resource", server.mcpUrl()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode refreshedTokens = JSON.readTree(refreshed.body());
        String newRefreshToken = refreshedTokens.get("refresh_token").asString();
        String newAccessToken = refreshedTokens.get("access_token").asString();
        assertThat(newRefreshToken).isNotBlank().isNotEqualTo(refreshToken);
        assertThat(strings(jwtClaims(newAccessToken).get("aud"))).containsExactly(server.mcpUrl());
        assertThat(mcpPost(newAccessToken, null, initializeRequest()).statusCode()).isEqualTo(200);

        HttpResponse<String> reused = token(server.clientId(), server.clientSecret(), Map.of(
                "grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reused.body()).get("error").asString()).isEqualTo("invalid_grant");

        // revocation endpoint
        HttpResponse<String> revoke = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/revoke"))
                .header("Authorization", basic(server.clientId(), server.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        form(Map.of("token", newRefreshToken, "token_type_hint", "refresh_token"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoke.statusCode()).isEqualTo(200);
        HttpResponse<String> afterRevoke = token(server.clientId(), server.clientSecret(), Map.of(
                "grant_type", "refresh_token", "refresh_token", newRefreshToken));
        assertThat(afterRevoke.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(afterRevoke.body()).get("error").asString()).isEqualTo("invalid_grant");

        assertThat(counters.tokenRequests("authorization_code")).isEqualTo(codeGrants + 1);
        assertThat(counters.tokenRequests("refresh_token")).isEqualTo(refreshGrants + 3);
        assertThat(counters.revocationRequests()).isEqualTo(revocations + 1);
        assertThat(counters.mcpRequests()).isGreaterThanOrEqualTo(mcpRequests + 8);
        assertThat(counters.toolCalls("add")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void openIdConnectIdTokenCarriesTheUsersNameAndRefreshKeepsTheSubject() throws Exception {
        HttpResponse<String> rfc8414 = get(server.issuer() + "/.well-known/oauth-authorization-server");
        assertThat(strings(JSON.readTree(rfc8414.body()).get("scopes_supported"))).contains("openid", "profile",
                "email", "mcp:tools");
        JsonNode discovery = JSON.readTree(get(server.issuer() + "/.well-known/openid-configuration").body());
        assertThat(discovery.get("issuer").asString()).isEqualTo(server.issuer());
        assertThat(discovery.get("jwks_uri").asString()).isEqualTo(server.issuer() + "/oauth2/jwks");
        assertThat(discovery.get("userinfo_endpoint").asString()).isEqualTo(server.issuer() + "/userinfo");

        Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"), server.clientId(),
                server.clientSecret(), server.mcpUrl(), "openid profile email mcp:tools offline_access", "n-0S6_WzA2Mj");
        JsonNode id = jwtClaims((String) tokens.get("id_token"));
        assertThat(id.get("iss").asString()).isEqualTo(server.issuer());
        assertThat(strings(id.get("aud"))).containsExactly(server.clientId());
        assertThat(id.get("sub").asString()).isEqualTo("alice");
        assertThat(id.get("nonce").asString()).isEqualTo("n-0S6_WzA2Mj");
        assertThat(id.get("name").asString()).isEqualTo("Alice Anderson");
        assertThat(id.get("preferred_username").asString()).isEqualTo("alice");
        assertThat(id.get("email").asString()).isEqualTo("alice@example.com");
        // The MCP endpoint still gets an access token for itself.
        assertThat(mcpPost((String) tokens.get("access_token"), null, initializeRequest()).statusCode()).isEqualTo(200);

        HttpResponse<String> refreshed = token(server.clientId(), server.clientSecret(), Map.of(
                "grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")));
        JsonNode refreshedId = jwtClaims(JSON.readTree(refreshed.body()).get("id_token").asString());
        assertThat(refreshedId.get("sub").asString()).isEqualTo("alice");
        assertThat(refreshedId.get("name").asString()).isEqualTo("Alice Anderson");
    }

    @Test
    void withoutOpenIdConnectNoOidcScopesAreAdvertised() throws Exception {
        try (DemoServer plain = DemoServer.start(DemoServerSettings.builder().redirectUri(REDIRECT_URI).oidc(false)
                .build())) {
            JsonNode metadata = JSON.readTree(get(plain.issuer() + "/.well-known/oauth-authorization-server").body());
            assertThat(metadata.has("scopes_supported")).isFalse();
            assertThat(get(plain.issuer() + "/.well-known/openid-configuration").statusCode()).isNotEqualTo(200);
        }
    }

    @Test
    void revokeAllTokensOfUserMakesRefreshFail() throws Exception {
        DemoBrowser browser = new DemoBrowser("bob", "bob");
        Map<String, Object> tokens = codeFlow(browser, server.clientId(), server.clientSecret(), server.mcpUrl());
        // the browser keeps its session: a second authorization needs no login
        Map<String, Object> second = codeFlow(browser, server.clientId(), server.clientSecret(), server.mcpUrl());
        assertThat(server.revokeAllTokensOf("bob")).isGreaterThanOrEqualTo(2);
        for (Map<String, Object> t : List.of(tokens, second)) {
            HttpResponse<String> refresh = token(server.clientId(), server.clientSecret(), Map.of(
                    "grant_type", "refresh_token", "refresh_token", (String) t.get("refresh_token")));
            assertThat(refresh.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refresh.body()).get("error").asString()).isEqualTo("invalid_grant");
        }
    }

    @Test
    void tokenWithoutResourceIsRejectedByMcp() throws Exception {
        Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"), server.clientId(),
                server.clientSecret(), null);
        String accessToken = (String) tokens.get("access_token");
        assertThat(strings(jwtClaims(accessToken).get("aud"))).doesNotContain(server.mcpUrl());
        HttpResponse<String> response = mcpPost(accessToken, null, initializeRequest());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }

    @Test
    void wrongPasswordFailsLogin() {
        DemoBrowser browser = new DemoBrowser("alice", "wrong");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> browser.authorize(authorizationUrl(
                server.clientId(), "x".repeat(43), "s", server.mcpUrl())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("login failed");
    }

    @Test
    void dynamicClientRegistrationThenCodeFlow() throws Exception {
        long registrations = server.counters().registrationRequests();
        String body = "{\"client_name\":\"dcr-test\",\"redirect_uris\":[\"" + REDIRECT_URI + "\"],"
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"mcp:tools offline_access\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/register"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode registered = JSON.readTree(response.body());
        String clientId = registered.get("client_id").asString();
        String clientSecret = registered.get("client_secret").asString();
        assertThat(server.counters().registrationRequests()).isEqualTo(registrations + 1);

        Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"), clientId, clientSecret,
                server.mcpUrl());
        assertThat(tokens.get("refresh_token")).isNotNull();
        assertThat(mcpPost((String) tokens.get("access_token"), null, initializeRequest()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void dynamicClientRegistrationWithoutScopeGetsTheDemoScopes() throws Exception {
        String body = "{\"redirect_uris\":[\"" + REDIRECT_URI + "\"],\"grant_types\":[\"authorization_code\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/register"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode registered = JSON.readTree(response.body());
        Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"),
                registered.get("client_id").asString(), registered.get("client_secret").asString(), server.mcpUrl());
        assertThat((String) tokens.get("scope")).contains("mcp:tools");
        assertThat(tokens.get("refresh_token")).isNull();
    }

    /** A second server in the same JVM, with 2-second access tokens: they stop working at /mcp on time. */
    @Test
    void shortLivedAccessTokensExpire() throws Exception {
        DemoServer main = server;
        try (DemoServer shortLived = DemoServer.start(DemoServerSettings.builder().redirectUri(REDIRECT_URI)
                .accessTokenTimeToLive(Duration.ofSeconds(2)).build())) {
            server = shortLived;
            assertThat(shortLived.port()).isNotEqualTo(main.port());
            Map<String, Object> tokens = codeFlow(new DemoBrowser("alice", "alice"), shortLived.clientId(),
                    shortLived.clientSecret(), shortLived.mcpUrl());
            assertThat(((Number) tokens.get("expires_in")).longValue()).isLessThanOrEqualTo(2);
            String accessToken = (String) tokens.get("access_token");
            assertThat(mcpPost(accessToken, null, initializeRequest()).statusCode()).isEqualTo(200);
            Thread.sleep(2200);
            HttpResponse<String> expired = mcpPost(accessToken, null, initializeRequest());
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
            HttpResponse<String> refreshed = token(shortLived.clientId(), shortLived.clientSecret(), Map.of(
                    "grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")));
            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(mcpPost(JSON.readTree(refreshed.body()).get("access_token").asString(), null,
                    initializeRequest()).statusCode()).isEqualTo(200);
        }
        finally {
            server = main;
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Authorization code + PKCE S256 (+ resource) with DemoBrowser, then the token request. */
    static Map<String, Object> codeFlow(DemoBrowser browser, String clientId, String clientSecret, String resource)
            throws Exception {
        return codeFlow(browser, clientId, clientSecret, resource, "mcp:tools offline_access", null);
    }

    static Map<String, Object> codeFlow(DemoBrowser browser, String clientId, String clientSecret, String resource,
            String scope, String nonce) throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String state = Long.toHexString(new SecureRandom().nextLong());
        URI redirect = browser.authorize(authorizationUrl(clientId, verifier, state, resource, scope, nonce));
        assertThat(redirect.toString()).startsWith(REDIRECT_URI + "?");
        assertThat(DemoBrowser.queryParameter(redirect, "state")).isEqualTo(state);
        String iss = DemoBrowser.queryParameter(redirect, "iss");
        if (iss != null) {
            assertThat(iss).isEqualTo(server.issuer());
        }
        String code = DemoBrowser.queryParameter(redirect, "code");
        assertThat(code).as(redirect.toString()).isNotBlank();

        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", REDIRECT_URI);
        params.put("code_verifier", verifier);
        if (resource != null) {
            params.put("resource", resource);
        }
        HttpResponse<String> response = token(clientId, clientSecret, params);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = JSON.readValue(response.body(), Map.class);
        return tokens;
    }

    static String authorizationUrl(String clientId, String verifier, String state, String resource)
            throws Exception {
        return authorizationUrl(clientId, verifier, state, resource, "mcp:tools offline_access", null);
    }

    static String authorizationUrl(String clientId, String verifier, String state, String resource, String scope,
            String nonce) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", scope);
        params.put("state", state);
        if (nonce != null) {
            params.put("nonce", nonce);
        }
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        if (resource != null) {
            params.put("resource", resource);
        }
        return server.issuer() + "/oauth2/authorize?" + form(params);
    }

    static HttpResponse<String> token(String clientId, String clientSecret, Map<String, String> params)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/oauth2/token"))
                .header("Authorization", basic(clientId, clientSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(params)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String initializeRequest() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"demo-test\",\"version\":\"1\"}}}";
    }

    static HttpResponse<String> mcpPost(String accessToken, String sessionId, String body) throws Exception {
        return mcpPost(accessToken, sessionId, body, null);
    }

    static HttpResponse<String> mcpPost(String accessToken, String sessionId, String body, String protocolVersion)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.mcpUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            request.header("MCP-Protocol-Version", protocolVersion);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON-RPC result of a response that is either application/json or a text/event-stream. */
    static JsonNode jsonRpcResult(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String json = response.body();
        if (contentType.startsWith("text/event-stream")) {
            StringBuilder data = new StringBuilder();
            for (String line : json.split("\r?\n")) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            json = data.toString();
        }
        JsonNode node = JSON.readTree(json);
        assertThat(node.has("error")).as(json).isFalse();
        return node.get("result");
    }

    static JsonNode jwtClaims(String jwt) {
        String[] parts = jwt.split("\\.");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    static List<String> strings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.asString());
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        node.forEach(n -> out.add(n.asString()));
        return out;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (enc(user) + ":" + enc(password)).getBytes(StandardCharsets.UTF_8));
    }

    static String form(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> joiner.add(enc(k) + "=" + enc(v)));
        return joiner.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
