package dev.mcpconnector.demo;

/**
 * The URLs of one running demo server. All derive from {@code http://127.0.0.1:<port>}; the issuer is that
 * base URL exactly, without a trailing slash.
 */
public record DemoUrls(String baseUrl) {

    public static DemoUrls forPort(int port) {
        return new DemoUrls("http://127.0.0.1:" + port);
    }

    public String issuer() {
        return baseUrl;
    }

    public String mcpUrl() {
        return baseUrl + DemoMcpServer.ENDPOINT;
    }

    public String resourceMetadataUrl() {
        return baseUrl + "/.well-known/oauth-protected-resource" + DemoMcpServer.ENDPOINT;
    }

    public String authorizationServerMetadataUrl() {
        return baseUrl + "/.well-known/oauth-authorization-server";
    }

    public String authorizationEndpoint() {
        return baseUrl + "/oauth2/authorize";
    }

    public String tokenEndpoint() {
        return baseUrl + "/oauth2/token";
    }

    public String revocationEndpoint() {
        return baseUrl + "/oauth2/revoke";
    }

    public String registrationEndpoint() {
        return baseUrl + "/oauth2/register";
    }

    public String jwkSetUri() {
        return baseUrl + "/oauth2/jwks";
    }

    public String loginUrl() {
        return baseUrl + "/login";
    }
}
