package dev.mcpconnector.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link DemoServer} instance. Immutable; build it with {@link #builder()}.
 *
 * <p>Defaults: a free port, client {@code demo-client}/{@code demo-secret} with redirect URI
 * {@code http://127.0.0.1:8080/callback}, scopes {@code mcp:tools mcp:read offline_access}, access
 * tokens valid 5 minutes, refresh tokens 1 day, users {@code alice/alice} ("Alice Anderson") and
 * {@code bob/bob} ("Bob Brown"), open dynamic client registration enabled, OpenID Connect enabled (the
 * {@code openid profile email} scopes, ID tokens carrying {@code name}, {@code preferred_username} and
 * {@code email}), both MCP revisions at {@code /mcp} ({@link DemoMcpRevisions#BOTH}).
 */
public final class DemoServerSettings {

    private final int port;
    private final String clientId;
    private final String clientSecret;
    private final List<String> redirectUris;
    private final List<String> scopes;
    private final Duration accessTokenTimeToLive;
    private final Duration refreshTokenTimeToLive;
    private final Map<String, String> users;
    private final boolean dynamicClientRegistration;
    private final String sessionCookieName;
    private final boolean oidc;
    private final Map<String, String> displayNames;
    private final DemoMcpRevisions mcpRevisions;

    private DemoServerSettings(Builder b) {
        this.port = b.port;
        this.clientId = Objects.requireNonNull(b.clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(b.clientSecret, "clientSecret");
        this.redirectUris = List.copyOf(b.redirectUris);
        this.scopes = List.copyOf(b.scopes);
        this.accessTokenTimeToLive = Objects.requireNonNull(b.accessTokenTimeToLive, "accessTokenTimeToLive");
        this.refreshTokenTimeToLive = Objects.requireNonNull(b.refreshTokenTimeToLive, "refreshTokenTimeToLive");
        this.users = Map.copyOf(b.users);
        this.dynamicClientRegistration = b.dynamicClientRegistration;
        this.sessionCookieName = Objects.requireNonNull(b.sessionCookieName, "sessionCookieName");
        this.oidc = b.oidc;
        this.displayNames = Map.copyOf(b.displayNames);
        this.mcpRevisions = Objects.requireNonNull(b.mcpRevisions, "mcpRevisions");
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("at least one redirect URI is required");
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one user is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** All defaults. */
    public static DemoServerSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this instance's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.clientId = clientId;
        b.clientSecret = clientSecret;
        b.redirectUris = new ArrayList<>(redirectUris);
        b.scopes = new ArrayList<>(scopes);
        b.accessTokenTimeToLive = accessTokenTimeToLive;
        b.refreshTokenTimeToLive = refreshTokenTimeToLive;
        b.users = new LinkedHashMap<>(users);
        b.dynamicClientRegistration = dynamicClientRegistration;
        b.sessionCookieName = sessionCookieName;
        b.oidc = oidc;
        b.displayNames = new LinkedHashMap<>(displayNames);
        b.mcpRevisions = mcpRevisions;
        return b;
    }

    /** The port to bind on 127.0.0.1; {@code 0} means "pick a free port". */
    public int port() {
        return port;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public List<String> redirectUris() {
        return redirectUris;
    }

    public List<String> scopes() {
        return scopes;
    }

    /**
     * The scopes clients may request and the metadata advertises: {@link #scopes()}, plus
     * {@code openid profile email} when OpenID Connect is enabled.
     */
    public List<String> allowedScopes() {
        List<String> all = new ArrayList<>();
        if (oidc) {
            all.addAll(List.of("openid", "profile", "email"));
        }
        scopes.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return List.copyOf(all);
    }

    /**
     * Whether the server speaks OpenID Connect: {@code /.well-known/openid-configuration}, ID tokens,
     * userinfo, and {@code openid profile email} in {@code scopes_supported} of its RFC 8414 metadata.
     */
    public boolean oidc() {
        return oidc;
    }

    /** The display name of a user ({@code name} claim of its ID tokens); the username when none is set. */
    public String displayName(String username) {
        return displayNames.getOrDefault(username, username);
    }

    /** The e-mail address of a user ({@code email} claim of its ID tokens). */
    public String email(String username) {
        return username + "@example.com";
    }

    public Duration accessTokenTimeToLive() {
        return accessTokenTimeToLive;
    }

    public Duration refreshTokenTimeToLive() {
        return refreshTokenTimeToLive;
    }

    /** username → plain-text password. */
    public Map<String, String> users() {
        return users;
    }

    /** Whether open RFC 7591 dynamic client registration at {@code /oauth2/register} is enabled. */
    public boolean dynamicClientRegistration() {
        return dynamicClientRegistration;
    }

    /**
     * Name of the login session cookie. Not {@code JSESSIONID}, so that a browser talking to both this
     * server and an app on another port of 127.0.0.1 does not mix up the two sessions (cookies ignore
     * the port).
     */
    public String sessionCookieName() {
        return sessionCookieName;
    }

    /**
     * Which MCP revisions {@code /mcp} speaks when the server starts ({@link DemoServer#mcpRevisions(
     * DemoMcpRevisions)} switches a running one).
     */
    public DemoMcpRevisions mcpRevisions() {
        return mcpRevisions;
    }

    @Override
    public String toString() {
        return "DemoServerSettings[port=" + port + ", clientId=" + clientId + ", redirectUris=" + redirectUris
                + ", scopes=" + scopes + ", accessTokenTimeToLive=" + accessTokenTimeToLive
                + ", refreshTokenTimeToLive=" + refreshTokenTimeToLive + ", users=" + users.keySet()
                + ", dynamicClientRegistration=" + dynamicClientRegistration + ", oidc=" + oidc
                + ", mcpRevisions=" + mcpRevisions + "]";
    }

    public static final class Builder {

        private int port = 0;
        private String clientId = "demo-client";
        private String clientSecret = "demo-secret";
        private List<String> redirectUris = new ArrayList<>(List.of("http://127.0.0.1:8080/callback"));
        private List<String> scopes = new ArrayList<>(List.of("mcp:tools", "mcp:read", "offline_access"));
        private Duration accessTokenTimeToLive = Duration.ofMinutes(5);
        private Duration refreshTokenTimeToLive = Duration.ofDays(1);
        private Map<String, String> users = new LinkedHashMap<>(Map.of("alice", "alice", "bob", "bob"));
        private boolean dynamicClientRegistration = true;
        private String sessionCookieName = "MCPDEMOSESSION";
        private boolean oidc = true;
        private Map<String, String> displayNames = new LinkedHashMap<>(
                Map.of("alice", "Alice Anderson", "bob", "Bob Brown"));
        private DemoMcpRevisions mcpRevisions = DemoMcpRevisions.BOTH;

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** Replaces the redirect URIs. */
        public Builder redirectUris(List<String> redirectUris) {
            this.redirectUris = new ArrayList<>(redirectUris);
            return this;
        }

        public Builder redirectUri(String... redirectUris) {
            return redirectUris(List.of(redirectUris));
        }

        /** Replaces the scopes the client may request. */
        public Builder scopes(List<String> scopes) {
            this.scopes = new ArrayList<>(scopes);
            return this;
        }

        public Builder accessTokenTimeToLive(Duration ttl) {
            this.accessTokenTimeToLive = ttl;
            return this;
        }

        public Builder refreshTokenTimeToLive(Duration ttl) {
            this.refreshTokenTimeToLive = ttl;
            return this;
        }

        /** Replaces the users (username → password). */
        public Builder users(Map<String, String> users) {
            this.users = new LinkedHashMap<>(users);
            return this;
        }

        /** Adds or replaces one user. */
        public Builder user(String username, String password) {
            this.users.put(username, password);
            return this;
        }

        public Builder dynamicClientRegistration(boolean enabled) {
            this.dynamicClientRegistration = enabled;
            return this;
        }

        /** Whether to enable OpenID Connect (default {@code true}). */
        public Builder oidc(boolean enabled) {
            this.oidc = enabled;
            return this;
        }

        /** Sets the display name ({@code name} claim) of a user. */
        public Builder displayName(String username, String displayName) {
            this.displayNames.put(username, displayName);
            return this;
        }

        public Builder sessionCookieName(String name) {
            this.sessionCookieName = name;
            return this;
        }

        /** Which MCP revisions {@code /mcp} speaks (default {@link DemoMcpRevisions#BOTH}). */
        public Builder mcpRevisions(DemoMcpRevisions revisions) {
            this.mcpRevisions = revisions;
            return this;
        }

        public DemoServerSettings build() {
            return new DemoServerSettings(this);
        }
    }
}
