package dev.mcpconnector.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A running demo server: a Spring Authorization Server and an OAuth-protected MCP server at {@code /mcp}
 * that speaks 2026-07-28 and, over Streamable HTTP with sessions, 2025-11-25 and earlier (see
 * {@link DemoMcpRevisions}), both on {@code http://127.0.0.1:<port>}.
 *
 * <pre>{@code
 * try (DemoServer server = DemoServer.start(DemoServerSettings.builder().redirectUri(cb).build())) {
 *     server.mcpUrl();   // http://127.0.0.1:54321/mcp
 *     server.issuer();   // http://127.0.0.1:54321
 * }
 * }</pre>
 */
public final class DemoServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final DemoServerSettings settings;
    private final DemoUrls urls;
    private final DemoCounters counters;

    private DemoServer(ConfigurableApplicationContext context, DemoServerSettings settings, DemoUrls urls,
            DemoCounters counters) {
        this.context = context;
        this.settings = settings;
        this.urls = urls;
        this.counters = counters;
    }

    /** Starts a server with default settings on a free port. */
    public static DemoServer start() {
        return start(DemoServerSettings.defaults());
    }

    /**
     * Starts a server. If {@code settings.port()} is 0 a free port is chosen first (the issuer must be known
     * before the server starts).
     */
    public static DemoServer start(DemoServerSettings settings) {
        int port = settings.port() != 0 ? settings.port() : freePort();
        DemoServerSettings effective = settings.port() == port ? settings : settings.toBuilder().port(port).build();
        DemoUrls urls = DemoUrls.forPort(port);
        DemoCounters counters = new DemoCounters();

        List<String> args = new ArrayList<>();
        // Command-line arguments outrank application.properties, system properties and the environment of
        // whatever application or test happens to host this server.
        args.add("--server.port=" + port);
        args.add("--server.address=127.0.0.1");
        args.add("--spring.config.name=mcp-connector-demo-server");
        args.add("--server.servlet.session.cookie.name=" + effective.sessionCookieName());
        args.add("--spring.jmx.enabled=false");
        args.add("--spring.main.allow-bean-definition-overriding=false");
        args.add("--spring.application.name=mcp-connector-demo-server");
        args.add("--server.shutdown=immediate");

        ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoServerApplication.class)
                .web(WebApplicationType.SERVLET)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("demoServerSettings", effective);
                    ctx.getBeanFactory().registerSingleton("demoUrls", urls);
                    ctx.getBeanFactory().registerSingleton("demoCounters", counters);
                })
                .run(args.toArray(String[]::new));
        int actual = ((WebServerApplicationContext) context).getWebServer().getPort();
        if (actual != port) {
            context.close();
            throw new IllegalStateException("demo server bound " + actual + " instead of " + port);
        }
        return new DemoServer(context, effective, urls, counters);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return urls.baseUrl();
    }

    /** {@code http://127.0.0.1:<port>/mcp}: the MCP endpoint, and the audience/resource of its tokens. */
    public String mcpUrl() {
        return urls.mcpUrl();
    }

    /** The authorization server's issuer, equal to {@link #baseUrl()} (no trailing slash). */
    public String issuer() {
        return urls.issuer();
    }

    /** {@code http://127.0.0.1:<port>/.well-known/oauth-protected-resource/mcp} */
    public String resourceMetadataUrl() {
        return urls.resourceMetadataUrl();
    }

    public int port() {
        return settings.port();
    }

    /** All endpoint URLs. */
    public DemoUrls urls() {
        return urls;
    }

    /** The settings in effect (with the actual port). */
    public DemoServerSettings settings() {
        return settings;
    }

    public String clientId() {
        return settings.clientId();
    }

    public String clientSecret() {
        return settings.clientSecret();
    }

    public DemoCounters counters() {
        return counters;
    }

    /** Which MCP revisions {@code /mcp} speaks now. */
    public DemoMcpRevisions mcpRevisions() {
        return context.getBean(DemoMcpDispatcher.class).revisions();
    }

    /**
     * Switches the MCP revisions {@code /mcp} speaks, from the next request on: the same URL, authorization
     * server, keys and tokens, so a client sees a server that changed revision. Sessions of the 2025
     * revision stay open on the server while it speaks only 2026-07-28 and are usable again after a switch
     * back.
     */
    public void mcpRevisions(DemoMcpRevisions revisions) {
        context.getBean(DemoMcpDispatcher.class).revisions(revisions);
    }

    /**
     * Removes every authorization of this user from the authorization server (authorization codes, access
     * and refresh tokens), so that a later refresh fails with {@code invalid_grant}. Access tokens are
     * self-contained JWTs and stay valid at /mcp until they expire.
     *
     * @return the number of authorizations removed
     */
    public int revokeAllTokensOf(String username) {
        return context.getBean(DemoAuthorizationService.class).removeAllOf(username);
    }

    /**
     * Expires every access token issued so far, on command: /mcp answers them 401 {@code invalid_token} from
     * now on, as it answers a token past its {@code exp}, while tokens issued later are unaffected. A test
     * that must see exactly one refresh expires tokens this way, with long-lived tokens, instead of waiting
     * for a short lifetime to run out (which a slow machine can also outlast a second time).
     *
     * @return the number of access tokens expired
     */
    public int expireAccessTokens() {
        return context.getBean(DemoAuthorizationService.class).expireAccessTokens();
    }

    /** The Spring context, for anything not covered above. */
    public ConfigurableApplicationContext applicationContext() {
        return context;
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }

    @Override
    public String toString() {
        return "DemoServer[" + baseUrl() + "]";
    }
}
