package dev.mcpconnector.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

import org.springframework.util.Assert;

/**
 * The one HTTP client for every outbound request of mcp-connector: metadata discovery,
 * registration, token, revocation and the connect probe through its own methods, and the MCP
 * sessions through {@link #newHttpClientBuilder(Duration)}. Each URL and each redirect hop is
 * checked against the {@link EgressPolicy}; connect and request time and the response size are
 * capped.
 * <p>
 * https connections go through an {@link EgressTunnel} that resolves the host once, checks
 * every address and connects to a checked one, so a DNS answer that changes between the check
 * and the connection (rebinding) is never used. {@link #close()} stops the tunnel.
 */
public class EgressHttpClient implements java.io.Closeable {

	private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

	private final EgressPolicy policy;

	private final HttpClient httpClient;

	private final Duration requestTimeout;

	private final long maxResponseBytes;

	private final int maxRedirects;

	private final EgressTunnel tunnel;

	private final javax.net.ssl.SSLContext sslContext;

	public EgressHttpClient(EgressPolicy policy, Duration connectTimeout, Duration requestTimeout,
			long maxResponseBytes, int maxRedirects) {
		this(policy, connectTimeout, requestTimeout, maxResponseBytes, maxRedirects, null);
	}

	/**
	 * @param policy the egress policy
	 * @param connectTimeout the TCP connect timeout
	 * @param requestTimeout the longest one request may take
	 * @param maxResponseBytes the largest response body read
	 * @param maxRedirects the most redirects {@link #get(URI, Map)} follows, each re-checked
	 * @param sslContext the TLS context, or {@code null} for the JVM's default
	 */
	public EgressHttpClient(EgressPolicy policy, Duration connectTimeout, Duration requestTimeout,
			long maxResponseBytes, int maxRedirects, javax.net.ssl.SSLContext sslContext) {
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(connectTimeout, "connectTimeout cannot be null");
		Assert.notNull(requestTimeout, "requestTimeout cannot be null");
		Assert.isTrue(maxResponseBytes > 0, "maxResponseBytes must be positive");
		Assert.isTrue(maxRedirects >= 0, "maxRedirects cannot be negative");
		this.policy = policy;
		this.sslContext = sslContext;
		this.tunnel = new EgressTunnel(policy, connectTimeout);
		this.httpClient = newHttpClientBuilder(connectTimeout).build();
		this.requestTimeout = requestTimeout;
		this.maxResponseBytes = maxResponseBytes;
		this.maxRedirects = maxRedirects;
	}

	/**
	 * A JDK client builder with this client's settings: https through the egress tunnel (so it
	 * connects only to checked addresses), with the tunnel's credential on each of those
	 * requests, the connect timeout, HTTP/1.1, no automatic redirects. The MCP transport is
	 * built on one.
	 * @param connectTimeout the connect timeout
	 * @return the builder
	 */
	public HttpClient.Builder newHttpClientBuilder(Duration connectTimeout) {
		HttpClient.Builder builder = TunnelClients.authorizing(HttpClient.newBuilder(), this.tunnel.proxyAuthorization())
			.proxy(this.tunnel.proxySelector())
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1);
		if (this.sslContext != null) {
			builder.sslContext(this.sslContext);
		}
		return builder;
	}

	/** @return the tunnel https connections go through */
	public EgressTunnel tunnel() {
		return this.tunnel;
	}

	/** Stop the egress tunnel; clients built from this one can no longer reach https servers. */
	@Override
	public void close() {
		this.tunnel.close();
	}

	public EgressPolicy policy() {
		return this.policy;
	}

	/**
	 * GET a URL, following at most the configured number of redirects, each hop re-checked.
	 * @param uri the URL
	 * @param headers request headers
	 * @return the response
	 */
	public EgressResponse get(URI uri, Map<String, String> headers) {
		URI current = uri;
		for (int hop = 0;; hop++) {
			EgressResponse response = send(request(current).GET(), current, headers);
			if (!REDIRECTS.contains(response.status()) || response.header("Location").isEmpty()) {
				return response;
			}
			if (hop >= this.maxRedirects) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "Too many redirects from " + uri.getHost());
			}
			try {
				current = current.resolve(response.header("Location").get());
			}
			catch (IllegalArgumentException ex) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "Redirect from " + uri.getHost() + " to a malformed URL");
			}
		}
	}

	/**
	 * GET a URL without following redirects (for example an authorization endpoint, whose
	 * redirect carries the result).
	 * @param uri the URL
	 * @param headers request headers
	 * @return the response
	 */
	public EgressResponse getNoRedirect(URI uri, Map<String, String> headers) {
		return send(request(uri).GET(), uri, headers);
	}

	/**
	 * GET a URL and read only the status and headers; the body (for example an event stream
	 * that never ends) is discarded and the connection closed. Redirects are not followed.
	 * @param uri the URL
	 * @param headers request headers
	 * @return the response, with an empty body
	 */
	public EgressResponse getHeaders(URI uri, Map<String, String> headers) {
		return send(request(uri).GET(), uri, headers, false);
	}

	/**
	 * POST a body; redirects are not followed.
	 * @param uri the URL
	 * @param contentType the body's content type
	 * @param body the body
	 * @param headers request headers
	 * @return the response
	 */
	public EgressResponse post(URI uri, String contentType, byte[] body, Map<String, String> headers) {
		HttpRequest.Builder builder = request(uri)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.header("Content-Type", contentType);
		return send(builder, uri, headers);
	}

	/**
	 * Send a request with any method and no body.
	 * @param method the method
	 * @param uri the URL
	 * @param headers request headers
	 * @return the response
	 */
	public EgressResponse send(String method, URI uri, Map<String, String> headers) {
		return send(request(uri).method(method.toUpperCase(Locale.ROOT),
				HttpRequest.BodyPublishers.noBody()), uri, headers);
	}

	/**
	 * Send a request that the Nimbus OAuth SDK built, and hand the response back for Nimbus to
	 * parse: Nimbus builds and parses the protocol messages, this client decides where they
	 * may go. A POST keeps its body and content type; anything else is a GET that follows no
	 * redirect. The response's {@code Accept} defaults to JSON.
	 * @param request the request
	 * @return the response, as Nimbus expects it
	 */
	public HTTPResponse exchange(HTTPRequest request) {
		Map<String, String> headers = new LinkedHashMap<>();
		request.getHeaderMap().forEach((name, values) -> {
			if (!values.isEmpty() && !"Content-Type".equalsIgnoreCase(name)) {
				headers.put(name, String.join(", ", values));
			}
		});
		headers.putIfAbsent("Accept", "application/json");
		EgressResponse response;
		if (request.getMethod() == HTTPRequest.Method.POST) {
			String contentType = (request.getEntityContentType() != null) ? request.getEntityContentType().toString()
					: "application/x-www-form-urlencoded; charset=UTF-8";
			String body = (request.getBody() != null) ? request.getBody() : "";
			response = post(request.getURI(), contentType, body.getBytes(StandardCharsets.UTF_8), headers);
		}
		else {
			response = getNoRedirect(request.getURI(), headers);
		}
		HTTPResponse nimbus = new HTTPResponse(response.status());
		response.headers().map().forEach((name, values) -> {
			if (!values.isEmpty() && !name.startsWith(":")) {
				nimbus.setHeader(name, values.toArray(String[]::new));
			}
		});
		nimbus.setBody(response.bodyAsString());
		return nimbus;
	}

	/** A request builder, after the policy's check: the JDK refuses some URLs with an unchecked exception. */
	private HttpRequest.Builder request(URI uri) {
		this.policy.checkSyntax(uri);
		try {
			return HttpRequest.newBuilder(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "Not a URL the HTTP client accepts");
		}
	}

	private EgressResponse send(HttpRequest.Builder builder, URI uri, Map<String, String> headers) {
		return send(builder, uri, headers, true);
	}

	private EgressResponse send(HttpRequest.Builder builder, URI uri, Map<String, String> headers, boolean readBody) {
		this.policy.check(uri);
		builder.timeout(this.requestTimeout);
		if (headers != null) {
			headers.forEach(builder::header);
		}
		try {
			HttpResponse<InputStream> response = this.httpClient.send(builder.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			byte[] body;
			try (InputStream in = response.body()) {
				body = readBody ? readCapped(in, uri) : new byte[0];
			}
			return new EgressResponse(uri, response.statusCode(), response.headers(), body);
		}
		catch (HttpTimeoutException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.UPSTREAM_TIMEOUT,
					"Request to " + uri.getHost() + " timed out");
		}
		catch (IOException | IllegalArgumentException ex) {
			// The JDK client refuses some hosts only when it sends (IllegalArgumentException).
			throw new McpConnectorException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE,
					"Request to " + uri.getHost() + " failed: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new McpConnectorException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE,
					"Request to " + uri.getHost() + " was interrupted");
		}
	}

	private byte[] readCapped(InputStream in, URI uri) throws IOException {
		byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxResponseBytes + 1));
		if (body.length > this.maxResponseBytes) {
			throw new McpConnectorException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE,
					"Response from " + uri.getHost() + " is larger than " + this.maxResponseBytes
					+ " bytes");
		}
		return body;
	}

}
