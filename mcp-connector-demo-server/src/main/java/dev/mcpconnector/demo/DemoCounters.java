package dev.mcpconnector.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe request counters of one {@link DemoServer}, for tests. */
public final class DemoCounters {

    private final ConcurrentHashMap<String, AtomicLong> tokenRequestsByGrantType = new ConcurrentHashMap<>();
    private final AtomicLong tokenErrors = new AtomicLong();
    private final AtomicLong staleRefreshTokenGrants = new AtomicLong();
    private final AtomicLong revocationRequests = new AtomicLong();
    private final AtomicLong registrationRequests = new AtomicLong();
    private final AtomicLong authorizationRequests = new AtomicLong();
    private final AtomicLong mcpRequests = new AtomicLong();
    private final AtomicLong mcpUnauthorized = new AtomicLong();
    private final AtomicLong mcpPosts = new AtomicLong();
    private final AtomicLong modernMcpPosts = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> toolCalls = new ConcurrentHashMap<>();

    DemoCounters() {
    }

    /** Requests to the token endpoint with this {@code grant_type} (e.g. authorization_code, refresh_token). */
    public long tokenRequests(String grantType) {
        AtomicLong c = tokenRequestsByGrantType.get(grantType);
        return c == null ? 0 : c.get();
    }

    /** All token endpoint requests, whatever the grant type. */
    public long tokenRequests() {
        return tokenRequestsByGrantType.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Token endpoint requests counted by grant type (a snapshot). */
    public Map<String, Long> tokenRequestsByGrantType() {
        Map<String, Long> m = new TreeMap<>();
        tokenRequestsByGrantType.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Token endpoint responses with a status of 400 or more. */
    public long tokenErrors() {
        return tokenErrors.get();
    }

    public long authorizationCodeGrants() {
        return tokenRequests("authorization_code");
    }

    public long refreshTokenGrants() {
        return tokenRequests("refresh_token");
    }

    /**
     * Refresh-token grants that presented a refresh token which is not the current one of any grant: one
     * already rotated away (refused with {@code invalid_grant}, refresh tokens are not reused) or unknown.
     */
    public long staleRefreshTokenGrants() {
        return staleRefreshTokenGrants.get();
    }

    /** Requests to /oauth2/revoke. */
    public long revocationRequests() {
        return revocationRequests.get();
    }

    /** Requests to /oauth2/register (dynamic client registration). */
    public long registrationRequests() {
        return registrationRequests.get();
    }

    /** Requests to /oauth2/authorize (including the one replayed after login). */
    public long authorizationRequests() {
        return authorizationRequests.get();
    }

    /** All HTTP requests to /mcp (any method, authorized or not). */
    public long mcpRequests() {
        return mcpRequests.get();
    }

    /**
     * POSTs to /mcp, of every revision, authorized or not: one per JSON-RPC message a client sends, so a
     * call that should cost one HTTP request can be counted.
     */
    public long mcpPosts() {
        return mcpPosts.get();
    }

    /** POSTs to /mcp that reached the 2026-07-28 server (so they passed the bearer-token check). */
    public long modernMcpPosts() {
        return modernMcpPosts.get();
    }

    /** /mcp requests answered with 401. */
    public long mcpUnauthorized() {
        return mcpUnauthorized.get();
    }

    /** Successful dispatches of the named MCP tool. */
    public long toolCalls(String toolName) {
        AtomicLong c = toolCalls.get(toolName);
        return c == null ? 0 : c.get();
    }

    /** Sets every counter back to zero. */
    public void reset() {
        tokenRequestsByGrantType.clear();
        tokenErrors.set(0);
        staleRefreshTokenGrants.set(0);
        revocationRequests.set(0);
        registrationRequests.set(0);
        authorizationRequests.set(0);
        mcpRequests.set(0);
        mcpUnauthorized.set(0);
        mcpPosts.set(0);
        modernMcpPosts.set(0);
        toolCalls.clear();
    }

    void tokenRequest(String grantType) {
        tokenRequestsByGrantType.computeIfAbsent(grantType == null ? "" : grantType, k -> new AtomicLong())
                .incrementAndGet();
    }

    void staleRefreshTokenGrant() {
        staleRefreshTokenGrants.incrementAndGet();
    }

    void tokenError() {
        tokenErrors.incrementAndGet();
    }

    void revocationRequest() {
        revocationRequests.incrementAndGet();
    }

    void registrationRequest() {
        registrationRequests.incrementAndGet();
    }

    void authorizationRequest() {
        authorizationRequests.incrementAndGet();
    }

    void mcpRequest() {
        mcpRequests.incrementAndGet();
    }

    void mcpPost() {
        mcpPosts.incrementAndGet();
    }

    void modernMcpPost() {
        modernMcpPosts.incrementAndGet();
    }

    void mcpUnauthorizedResponse() {
        mcpUnauthorized.incrementAndGet();
    }

    void toolCall(String name) {
        toolCalls.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public String toString() {
        return "DemoCounters[token=" + tokenRequestsByGrantType() + ", tokenErrors=" + tokenErrors
                + ", staleRefreshTokens=" + staleRefreshTokenGrants
                + ", revocations=" + revocationRequests + ", registrations=" + registrationRequests
                + ", authorizations=" + authorizationRequests + ", mcp=" + mcpRequests
                + ", mcpPosts=" + mcpPosts + ", modernMcpPosts=" + modernMcpPosts + ", mcp401=" + mcpUnauthorized + "]";
    }
}
