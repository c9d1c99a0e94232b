package dev.mcpconnector.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless "browser" for the demo authorization server's login: it plays the user's part of an
 * authorization code flow without a real browser.
 *
 * <p>{@link #authorize(URI)} GETs the authorization URL without following redirects automatically. If the
 * server redirects to its login page, it loads the page, takes the {@code _csrf} hidden input, posts the
 * username and password, and follows the redirects back to {@code /oauth2/authorize}. It returns the final
 * {@code Location} that points at the client's {@code redirect_uri} (with {@code code}, {@code state} and
 * maybe {@code iss}, or with {@code error}) <em>without requesting it</em>.
 *
 * <p>Cookies are kept between calls, so a second {@code authorize} of the same browser is not asked to
 * log in again. Not thread-safe in the sense of a real browser tab: use one instance per user/test.
 */
public final class DemoBrowser {

    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE_ATTRIBUTE = Pattern.compile("value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final int MAX_REDIRECTS = 10;

    private final String username;
    private final String password;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final Duration timeout;

    public DemoBrowser(String username, String password) {
        this(username, password, Duration.ofSeconds(10));
    }

    public DemoBrowser(String username, String password, Duration timeout) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public String username() {
        return username;
    }

    /** Forgets the login session (all cookies). */
    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    /** Same as {@link #authorize(URI)}. */
    public URI authorize(String authorizationUrl) {
        return authorize(URI.create(authorizationUrl));
    }

    /**
     * Plays the user's side of the authorization request and returns the redirect to the client.
     *
     * @param authorizationUrl the full authorization URL, with {@code redirect_uri} in its query
     * @return the {@code Location} that points at the {@code redirect_uri}; it is not requested
     * @throws IllegalStateException if the server answers anything unexpected (bad credentials, a consent
     *         page, an error page, too many redirects)
     */
    public URI authorize(URI authorizationUrl) {
        String redirectUri = queryParameter(authorizationUrl, "redirect_uri");
        boolean loggedIn = false;
        URI next = authorizationUrl;
        for (int i = 0; i < MAX_REDIRECTS; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(next).GET()
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
            URI location = location(next, response);
            if (location == null) {
                throw new IllegalStateException("expected a redirect from " + next + " but got HTTP "
                        + response.statusCode() + ": " + abbreviate(response.body()));
            }
            if (isRedirectUri(location, redirectUri)) {
                return location;
            }
            if (location.getPath() != null && location.getPath().endsWith("/login")
                    && location.getQuery() == null) {
                if (loggedIn) {
                    throw new IllegalStateException("redirected to the login page again after logging in as "
                            + username);
                }
                next = login(location);
                loggedIn = true;
                continue;
            }
            if (location.getPath() != null && location.getPath().endsWith("/login")) {
                // e.g. /login?error: wrong password
                throw new IllegalStateException("login failed for " + username + ": redirected to " + location);
            }
            next = location;
        }
        throw new IllegalStateException("too many redirects starting at " + authorizationUrl);
    }

    /** Loads the login page, posts the credentials, returns where the server sends us afterwards. */
    private URI login(URI loginPage) {
        HttpResponse<String> page = send(HttpRequest.newBuilder(loginPage).GET().header("Accept", "text/html"));
        if (page.statusCode() != 200) {
            throw new IllegalStateException("login page " + loginPage + " answered HTTP " + page.statusCode());
        }
        String csrf = csrfToken(page.body());
        StringBuilder form = new StringBuilder()
                .append("username=").append(encode(username))
                .append("&password=").append(encode(password));
        if (csrf != null) {
            form.append("&_csrf=").append(encode(csrf));
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(loginPage)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
        URI location = location(loginPage, response);
        if (location == null) {
            throw new IllegalStateException("login POST answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        if (location.getPath() != null && location.getPath().endsWith("/login")) {
            throw new IllegalStateException("login failed for " + username + ": redirected to " + location);
        }
        return location;
    }

    static String csrfToken(String html) {
        Matcher input = CSRF_INPUT.matcher(html);
        if (!input.find()) {
            return null;
        }
        Matcher value = VALUE_ATTRIBUTE.matcher(input.group());
        return value.find() ? value.group(1).replace("&#x2d;", "-").replace("&amp;", "&") : null;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static URI location(URI base, HttpResponse<?> response) {
        int status = response.statusCode();
        if (status < 300 || status >= 400) {
            return null;
        }
        return response.headers().firstValue("Location").map(base::resolve).orElse(null);
    }

    private static boolean isRedirectUri(URI location, String redirectUri) {
        if (redirectUri == null) {
            return false;
        }
        String l = location.toString();
        int q = l.indexOf('?');
        String withoutQuery = q < 0 ? l : l.substring(0, q);
        return withoutQuery.equals(redirectUri) || l.startsWith(redirectUri + "?") || l.startsWith(redirectUri + "#");
    }

    /** The first value of a query parameter, URL-decoded; null if absent. */
    public static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
