package dev.mcpconnector.egress;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The client side of the {@link EgressTunnel}: the proxy selector that sends https to a name
 * through it, and JDK clients that put the tunnel's credential on every request that goes
 * there. The JDK sends a request's own {@code Proxy-Authorization} on the {@code CONNECT} it
 * opens the tunnel with (for schemes other than Basic) and not to the server behind it; the
 * JDK's {@link Authenticator} answers only Basic challenges, which it never sends on a
 * {@code CONNECT}, so the field is set on each request here.
 */
final class TunnelClients {

	static final String PROXY_AUTHORIZATION = "Proxy-Authorization";

	private static final SecureRandom random = new SecureRandom();

	private TunnelClients() {
	}

	/**
	 * A new credential for a tunnel: 256 random bits. Its scheme is not Basic, which the JDK
	 * never sends on a {@code CONNECT} unless the whole JVM is configured to.
	 * @return the {@code Proxy-Authorization} value
	 */
	static String newCredential() {
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		return "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	/**
	 * Whether requests to a URL go through the tunnel: https to a name. A literal address
	 * needs no resolution, so the policy's check of it is final.
	 * @param uri the URL
	 * @return whether the proxy selector picks the tunnel for it
	 */
	static boolean tunnels(URI uri) {
		return "https".equalsIgnoreCase(uri.getScheme()) && !EgressPolicy.isLiteral(uri.getHost());
	}

	/**
	 * @param tunnel the tunnel's address
	 * @return a selector: the tunnel for {@link #tunnels(URI)}, direct for everything else
	 */
	static ProxySelector selector(InetSocketAddress tunnel) {
		java.net.Proxy proxy = new java.net.Proxy(java.net.Proxy.Type.HTTP, tunnel);
		return new ProxySelector() {

			@Override
			public List<java.net.Proxy> select(URI uri) {
				return tunnels(uri) ? List.of(proxy) : List.of(java.net.Proxy.NO_PROXY);
			}

			@Override
			public void connectFailed(URI uri, SocketAddress address, IOException ex) {
			}

		};
	}

	/**
	 * A builder whose clients send the credential with every request through the tunnel.
	 * Every other method goes to the given builder (a proxy of the interface rather than a
	 * hand-written copy of its every method).
	 * @param builder the JDK builder
	 * @param proxyAuthorization the tunnel's credential
	 * @return the builder
	 */
	static HttpClient.Builder authorizing(HttpClient.Builder builder, String proxyAuthorization) {
		return (HttpClient.Builder) Proxy.newProxyInstance(TunnelClients.class.getClassLoader(),
				new Class<?>[] { HttpClient.Builder.class }, (self, method, args) -> {
					if ("build".equals(method.getName()) && method.getParameterCount() == 0) {
						return new Authorizing(builder.build(), proxyAuthorization);
					}
					Object result;
					try {
						result = method.invoke(builder, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
					return (result == builder) ? self : result;
				});
	}

	/** A JDK client that adds the credential to each request the tunnel carries. */
	private static final class Authorizing extends HttpClient {

		private final HttpClient delegate;

		private final String proxyAuthorization;

		Authorizing(HttpClient delegate, String proxyAuthorization) {
			this.delegate = delegate;
			this.proxyAuthorization = proxyAuthorization;
		}

		private HttpRequest authorized(HttpRequest request) {
			if (!tunnels(request.uri())) {
				// Direct: the field would reach the server itself.
				return request;
			}
			return HttpRequest.newBuilder(request, (name, value) -> !PROXY_AUTHORIZATION.equalsIgnoreCase(name))
				.header(PROXY_AUTHORIZATION, this.proxyAuthorization)
				.build();
		}

		@Override
		public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
				throws IOException, InterruptedException {
			return this.delegate.send(authorized(request), handler);
		}

		@Override
		public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
				HttpResponse.BodyHandler<T> handler) {
			return this.delegate.sendAsync(authorized(request), handler);
		}

		@Override
		public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
				HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
			return this.delegate.sendAsync(authorized(request), handler, pushPromiseHandler);
		}

		@Override
		public Optional<CookieHandler> cookieHandler() {
			return this.delegate.cookieHandler();
		}

		@Override
		public Optional<Duration> connectTimeout() {
			return this.delegate.connectTimeout();
		}

		@Override
		public Redirect followRedirects() {
			return this.delegate.followRedirects();
		}

		@Override
		public Optional<ProxySelector> proxy() {
			return this.delegate.proxy();
		}

		@Override
		public SSLContext sslContext() {
			return this.delegate.sslContext();
		}

		@Override
		public SSLParameters sslParameters() {
			return this.delegate.sslParameters();
		}

		@Override
		public Optional<Authenticator> authenticator() {
			return this.delegate.authenticator();
		}

		@Override
		public Version version() {
			return this.delegate.version();
		}

		@Override
		public Optional<Executor> executor() {
			return this.delegate.executor();
		}

		@Override
		public String toString() {
			return "TunnelClients.Authorizing[" + this.delegate + "]";
		}

	}

}
