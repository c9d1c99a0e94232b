package dev.mcpconnector.demo;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one servlet at {@code /mcp}: sends each request to the 2025-11-25 transport or the 2026-07-28 one.
 *
 * <p>The rule is the one a dual-era server follows (2026-07-28 {@code basic/versioning}, "Backward
 * Compatibility"): a request that carries modern per-request {@code _meta} is served statelessly by the
 * modern revision; an {@code initialize} selects the legacy one and its session. On HTTP a modern request
 * also names its revision in the {@code MCP-Protocol-Version} header. So a POST is modern when
 * <ul>
 * <li>its {@code MCP-Protocol-Version} header names 2026-07-28 or later (a date not before it), or</li>
 * <li>its body is a JSON-RPC message whose {@code params._meta} has a
 * {@code io.modelcontextprotocol/protocolVersion} (any value: a version the modern server does not speak
 * gets its {@code UnsupportedProtocolVersionError}), or whose method is {@code server/discover}, which only
 * the modern revision has.</li>
 * </ul>
 * Everything else goes to the legacy transport: {@code initialize} without that {@code _meta}, every
 * request of a 2025 session (header 2025-xx or none), GET (the session's stream), DELETE (its end), a
 * batch, a body that is not JSON. With {@link DemoMcpRevisions#LEGACY} or {@link DemoMcpRevisions#MODERN}
 * every request goes to that one transport, whatever it carries.
 */
final class DemoMcpDispatcher extends HttpServlet {

    static final String FIRST_MODERN_REVISION = "2026-07-28";
    static final String PROTOCOL_VERSION_META = "io.modelcontextprotocol/protocolVersion";
    /** The modern transport's own limit; a larger body is refused before either transport sees it. */
    static final int MAX_BODY = 16 * 1024 * 1024;

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpServlet legacy;
    private final HttpServlet modern;
    private final DemoCounters counters;
    private final AtomicReference<DemoMcpRevisions> revisions;

    DemoMcpDispatcher(HttpServlet legacy, HttpServlet modern, DemoCounters counters, DemoMcpRevisions revisions) {
        this.legacy = Objects.requireNonNull(legacy, "legacy");
        this.modern = Objects.requireNonNull(modern, "modern");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.revisions = new AtomicReference<>(Objects.requireNonNull(revisions, "revisions"));
    }

    DemoMcpRevisions revisions() {
        return revisions.get();
    }

    void revisions(DemoMcpRevisions revisions) {
        this.revisions.set(Objects.requireNonNull(revisions, "revisions"));
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        legacy.init(config);
        modern.init(config);
    }

    @Override
    public void destroy() {
        modern.destroy();
        legacy.destroy();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        DemoMcpRevisions current = revisions.get();
        boolean post = "POST".equals(request.getMethod());
        if (current == DemoMcpRevisions.LEGACY || (current == DemoMcpRevisions.BOTH && !post)) {
            legacy.service(request, response);
            return;
        }
        if (current == DemoMcpRevisions.MODERN || isModernVersion(request.getHeader("MCP-Protocol-Version"))) {
            toModern(request, response, post);
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        HttpServletRequest replay = new BufferedBodyRequest(request, body);
        if (isModernBody(body)) {
            toModern(replay, response, true);
        }
        else {
            legacy.service(replay, response);
        }
    }

    private void toModern(HttpServletRequest request, HttpServletResponse response, boolean post)
            throws ServletException, IOException {
        if (post) {
            counters.modernMcpPost();
        }
        modern.service(request, response);
    }

    /** Whether an {@code MCP-Protocol-Version} header names 2026-07-28 or a later revision. */
    static boolean isModernVersion(String header) {
        if (header == null) {
            return false;
        }
        String version = header.trim();
        return DATE.matcher(version).matches() && version.compareTo(FIRST_MODERN_REVISION) >= 0;
    }

    /** Whether a POST body is a modern request: {@code server/discover}, or modern {@code _meta}. */
    static boolean isModernBody(byte[] body) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        }
        catch (RuntimeException e) {
            return false;
        }
        if (message == null || !message.isObject()) {
            return false;
        }
        JsonNode method = message.get("method");
        if (method != null && "server/discover".equals(method.asString(null))) {
            return true;
        }
        JsonNode version = message.path("params").path("_meta").get(PROTOCOL_VERSION_META);
        return version != null && version.isString() && !version.asString().isBlank();
    }

    /** The whole body, or null when it is larger than {@link #MAX_BODY}. */
    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = request.getInputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + n > MAX_BODY) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The request with its body read once and offered again to the transport that serves it. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already buffered: read it blocking");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }
}
