package dev.mcpconnector.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.test.Sentinel;
import dev.mcpconnector.test.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resolve once, connect to the checked address. A scripted resolver stands in for an attacker's
 * DNS server: its first answer passes the policy, the next one points at the loopback sentinel.
 * The host is {@code localhost}, so a client that resolved the name itself (as the JDK client
 * does without the tunnel) would reach the sentinel; the control test shows that it does.
 */
@Tag("fast")
class DnsRebindingTests {

	private static final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

	private static final InetAddress PUBLIC = address(93, 184, 216, 34);

	/** Connections that sent their tunnel head slowly while the application's request went through. */
	private static final AtomicInteger slowHeads = new AtomicInteger();

	@AfterAll
	static void report() {
		long refused = outcomes.stream().filter("refused"::equals).count();
		long reached = outcomes.stream().filter("reached"::equals).count();
		System.out.printf("[SSRF suite: DNS rebinding] tried %d, refused %d, reached the sentinel %d;"
				+ " %d slow tunnel heads did not keep the application out%n", outcomes.size(), refused, reached,
				slowHeads.get());
	}

	@Test
	void egressClientWhenHostRebindsAfterTheCheckThenRefusedAndSentinelNeverReached() {
		try (Sentinel sentinel = new Sentinel(); EgressHttpClient http = client(rebinding(), Set.of())) {
			URI target = URI.create("https://localhost:" + sentinel.port() + "/.well-known/oauth-protected-resource");
			for (String method : List.of("GET", "POST", "DELETE")) {
				assertThatThrownBy(() -> {
					if ("POST".equals(method)) {
						http.post(target, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
					}
					else {
						http.send(method, target, Map.of());
					}
				}).isInstanceOfSatisfying(McpConnectorException.class, (ex) -> assertThat(ex.error())
					.isIn(McpConnectorErrorCode.UPSTREAM_UNREACHABLE, McpConnectorErrorCode.UPSTREAM_TIMEOUT))
					.hasMessageNotContaining("127.0.0.1");
				record(sentinel);
			}
			assertThat(sentinel.connections()).isZero();
			assertThat(http.tunnel().tunnelsRefused()).isEqualTo(3);
		}
	}

	@Test
	void mcpSessionClientWhenHostRebindsAfterTheCheckThenRefusedAndSentinelNeverReached() throws Exception {
		try (Sentinel sentinel = new Sentinel(); EgressHttpClient http = client(rebinding(), Set.of())) {
			URI target = URI.create("https://localhost:" + sentinel.port() + "/mcp");
			// What McpToolExecutor does for each session: check the URL, then build the
			// transport's client from the egress client.
			http.policy().check(target);
			HttpClient session = http.newHttpClientBuilder(Duration.ofSeconds(2)).build();
			assertThatThrownBy(() -> session.send(HttpRequest.newBuilder(target).GET().build(),
					HttpResponse.BodyHandlers.discarding()))
				.isInstanceOf(IOException.class);
			record(sentinel);
			assertThat(sentinel.connections()).isZero();
		}
	}

	@Test
	void withoutTheTunnelTheSameRebindingReachesTheSentinel() throws Exception {
		try (Sentinel sentinel = new Sentinel(); EgressHttpClient http = client(rebinding(), Set.of())) {
			URI target = URI.create("https://localhost:" + sentinel.port() + "/mcp");
			http.policy().check(target);
			HttpClient unpinned = HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(2))
				.sslContext(TestTls.get().clientContext())
				.build();
			try {
				unpinned.send(HttpRequest.newBuilder(target).GET().build(), HttpResponse.BodyHandlers.discarding());
			}
			catch (IOException ex) {
				// the sentinel closes every connection; what counts is that it was reached
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (sentinel.connections() == 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			// The control: this is the connection the tunnel prevents (the JDK client retries a
			// GET once, so it may be two). Not counted in the suite.
			assertThat(sentinel.connections()).isPositive();
		}
	}

	@Test
	void tunnelConnectsToTheAddressThePolicyResolvedNotToTheSystemAnswer() throws Exception {
		InetAddress checked = address(127, 0, 0, 2);
		HttpsServer server = HttpsServer.create(new InetSocketAddress(checked, 0), 0);
		server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
		server.createContext("/", (exchange) -> {
			byte[] body = "checked address".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		int port = server.getAddress().getPort();
		// The policy's resolver answers 127.0.0.2 for localhost; the system answers 127.0.0.1,
		// where a sentinel waits on the same port when it is free.
		EgressPolicy.HostResolver resolver = (host) -> "localhost".equals(host) ? new InetAddress[] { checked }
				: InetAddress.getAllByName(host);
		try (EgressHttpClient http = client(resolver, Set.of("localhost:" + port));
				SameAddressSentinel sentinel = SameAddressSentinel.on(port)) {
			EgressResponse response = http.get(URI.create("https://localhost:" + port + "/"), Map.of());
			assertThat(response.status()).isEqualTo(200);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("checked address");
			assertThat(http.tunnel().tunnelsOpened()).isEqualTo(1);
			assertThat(sentinel.connections()).isZero();
		}
		finally {
			server.stop(0);
		}
	}

	/** Each with the tunnel's credential, as the application's own clients send it. */
	@Test
	void tunnelRefusesAnythingButConnectAndLeavesNoSocketOpen() throws Exception {
		try (EgressHttpClient http = client(InetAddress::getAllByName, Set.of())) {
			InetSocketAddress tunnel = http.tunnel().address();
			String credential = "Proxy-Authorization: " + http.tunnel().proxyAuthorization() + "\r\n\r\n";
			for (String request : List.of("GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n",
					"CONNECT 169.254.169.254:80 HTTP/1.1\r\n", "CONNECT [::ffff:127.0.0.1]:443 HTTP/1.1\r\n",
					"CONNECT 2130706433:443 HTTP/1.1\r\n", "CONNECT localhost:0 HTTP/1.1\r\n",
					"CONNECT a b:443 HTTP/1.1\r\n")) {
				try (Socket socket = new Socket(tunnel.getAddress(), tunnel.getPort())) {
					socket.getOutputStream().write((request + credential).getBytes(StandardCharsets.US_ASCII));
					String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
					assertThat(status).as(request).isIn("HTTP/1.1 400", "HTTP/1.1 403", "HTTP/1.1 502");
					outcomes.add("refused");
				}
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (http.tunnel().openSockets() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(http.tunnel().openSockets()).isZero();
		}
	}

	@Test
	void tunnelWhenClientSendsItsRequestSlowlyThenCutOffAtTheOverallDeadline() throws Exception {
		try (EgressTunnel tunnel = new EgressTunnel(new EgressPolicy(false, Set.of()), Duration.ofSeconds(1),
				Duration.ofMillis(800));
				Socket socket = new Socket(tunnel.address().getAddress(), tunnel.address().getPort())) {
			OutputStream out = socket.getOutputStream();
			long start = System.nanoTime();
			// One byte every 300 ms: each read is quick, the whole head is not.
			for (byte b : "CONNECT example.com:443 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)) {
				try {
					out.write(b);
					out.flush();
				}
				catch (IOException ex) {
					break;
				}
				Thread.sleep(300);
				if (System.nanoTime() - start > Duration.ofSeconds(5).toNanos()) {
					break;
				}
			}
			socket.setSoTimeout(5000);
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(answer).startsWith("HTTP/1.1 400");
			assertThat(tunnel.tunnelsOpened()).isZero();
			outcomes.add("refused");
		}
	}

	/**
	 * Another local process cannot use the tunnel: a {@code CONNECT} without the credential,
	 * with a guessed one or with Basic credentials is answered 407 before the host is resolved,
	 * and the server behind it is never reached. The application's own clients (the egress
	 * client and an MCP session's) reach it, and the server never sees the credential.
	 */
	@Test
	void tunnelWhenAnotherProcessConnectsWithoutTheCredentialThen407AndTheServerIsNeverReached() throws Exception {
		List<String> proxyAuthorizationsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger served = new AtomicInteger();
		HttpsServer server = checkedAddressServer((exchange) -> {
			served.incrementAndGet();
			exchange.getRequestHeaders().forEach((name, values) -> {
				if ("Proxy-Authorization".equalsIgnoreCase(name)) {
					proxyAuthorizationsSeen.addAll(values);
				}
			});
		});
		int port = server.getAddress().getPort();
		AtomicInteger resolved = new AtomicInteger();
		EgressPolicy.HostResolver resolver = (host) -> {
			resolved.incrementAndGet();
			return new InetAddress[] { server.getAddress().getAddress() };
		};
		try (EgressHttpClient http = client(resolver, Set.of("localhost:" + port))) {
			InetSocketAddress tunnel = http.tunnel().address();
			String connect = "CONNECT localhost:" + port + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n";
			for (String head : List.of(connect + "\r\n", connect + "Proxy-Authorization: Bearer guessed\r\n\r\n",
					connect + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n")) {
				try (Socket socket = new Socket(tunnel.getAddress(), tunnel.getPort())) {
					socket.setSoTimeout(5000);
					socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
					String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
					assertThat(status).as(head).isEqualTo("HTTP/1.1 407");
					outcomes.add("refused");
				}
			}
			assertThat(resolved).as("resolutions for unauthenticated requests").hasValue(0);
			assertThat(served).hasValue(0);
			URI target = URI.create("https://localhost:" + port + "/");
			assertThat(http.get(target, Map.of()).status()).isEqualTo(200);
			HttpClient session = http.newHttpClientBuilder(Duration.ofSeconds(2)).build();
			assertThat(session.send(HttpRequest.newBuilder(target).GET().build(), HttpResponse.BodyHandlers.discarding())
				.statusCode()).isEqualTo(200);
			assertThat(served).hasValue(2);
			assertThat(proxyAuthorizationsSeen).as("credentials forwarded to the server").isEmpty();
		}
		finally {
			server.stop(0);
		}
	}

	/**
	 * 4,096 connections that open a tunnel and never finish their head (a local process
	 * holding the tunnel's sockets) do not keep the application's own request out. The tunnel
	 * here waits a minute for a head rather than 10 s, so that however slowly this machine
	 * opens the connections, all of them are still waiting when the request is made.
	 */
	@Test
	void tunnelWhen4096ConnectionsNeverFinishTheirHeadThenTheApplicationStillReachesItsServer() throws Exception {
		HttpsServer server = checkedAddressServer((exchange) -> {
		});
		int port = server.getAddress().getPort();
		EgressPolicy.HostResolver resolver = (host) -> new InetAddress[] { server.getAddress().getAddress() };
		List<Socket> slow = new java.util.ArrayList<>();
		try (EgressTunnel tunnel = new EgressTunnel(new EgressPolicy(false, Set.of("localhost:" + port), resolver),
				Duration.ofSeconds(2), Duration.ofMinutes(1))) {
			InetSocketAddress address = tunnel.address();
			for (int i = 0; i < 4096; i++) {
				Socket socket = new Socket(address.getAddress(), address.getPort());
				socket.getOutputStream().write("CONNECT localho".getBytes(StandardCharsets.US_ASCII));
				slow.add(socket);
			}
			HttpResponse<Void> response = applicationClient(tunnel)
				.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).GET().build(),
						HttpResponse.BodyHandlers.discarding());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(tunnel.tunnelsOpened()).isEqualTo(1);
			slowHeads.addAndGet(slow.size());
		}
		finally {
			for (Socket socket : slow) {
				socket.close();
			}
			server.stop(0);
		}
	}

	/** A JDK client as the egress client builds them, on the given tunnel. */
	private static HttpClient applicationClient(EgressTunnel tunnel) {
		return TunnelClients
			.authorizing(HttpClient.newBuilder().sslContext(TestTls.get().clientContext()), tunnel.proxyAuthorization())
			.proxy(tunnel.proxySelector())
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	/** An HTTPS server on 127.0.0.2 that answers 200 after the given look at each request. */
	private static HttpsServer checkedAddressServer(com.sun.net.httpserver.HttpHandler look) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress(address(127, 0, 0, 2), 0), 0);
		server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
		server.createContext("/", (exchange) -> {
			look.handle(exchange);
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	@Test
	void literalAddressesAreNotTunnelledBecauseTheyNeedNoResolution() throws Exception {
		InetAddress v6 = InetAddress.getByName("::1");
		HttpsServer server;
		try {
			server = HttpsServer.create(new InetSocketAddress(v6, 0), 0);
		}
		catch (IOException ex) {
			org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here");
			return;
		}
		server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
		server.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		server.start();
		try (EgressHttpClient http = client(InetAddress::getAllByName,
				Set.of("[::1]:" + server.getAddress().getPort()))) {
			EgressResponse response = http.get(URI.create("https://[::1]:" + server.getAddress().getPort() + "/"),
					Map.of());
			assertThat(response.status()).isEqualTo(204);
			assertThat(http.tunnel().tunnelsOpened()).isZero();
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void plainHttpOnlyToLoopbackLiteralsAndLocalhost() {
		EgressPolicy.HostResolver resolver = (host) -> new InetAddress[] { address(127, 0, 0, 1) };
		EgressPolicy policy = new EgressPolicy(true, Set.of(), resolver);
		assertThat(policy.check(URI.create("http://127.0.0.1:8080/mcp"))).isNotEmpty();
		assertThat(policy.check(URI.create("http://localhost:8080/mcp"))).isNotEmpty();
		assertThat(policy.check(URI.create("http://[::1]:8080/mcp"))).isNotEmpty();
		assertThatThrownBy(() -> policy.check(URI.create("http://rebind.example:8080/mcp")))
			.isInstanceOfSatisfying(McpConnectorException.class, (ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.hasMessageContaining("only to loopback addresses and localhost");
	}

	private static void record(Sentinel sentinel) {
		outcomes.add((sentinel.connections() > 0) ? "reached" : "refused");
	}

	private static EgressHttpClient client(EgressPolicy.HostResolver resolver, Set<String> allowedHosts) {
		return new EgressHttpClient(new EgressPolicy(false, allowedHosts, resolver), Duration.ofSeconds(2),
				Duration.ofSeconds(5), 1024 * 1024, 3, TestTls.get().clientContext());
	}

	/**
	 * Answers a public address, then loopback, then public again: each request is checked once
	 * (public) and then resolved by whoever connects (loopback).
	 */
	private static EgressPolicy.HostResolver rebinding() {
		Map<String, AtomicInteger> asked = new java.util.concurrent.ConcurrentHashMap<>();
		return (host) -> {
			int n = asked.computeIfAbsent(host, (h) -> new AtomicInteger()).getAndIncrement();
			return new InetAddress[] { (n % 2 == 0) ? PUBLIC : address(127, 0, 0, 1) };
		};
	}

	private static InetAddress address(int a, int b, int c, int d) {
		try {
			return InetAddress.getByAddress(new byte[] { (byte) a, (byte) b, (byte) c, (byte) d });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A counting listener on 127.0.0.1 at a given port, if that port is free there. */
	private static final class SameAddressSentinel implements AutoCloseable {

		private final java.net.ServerSocket socket;

		private final AtomicInteger connections = new AtomicInteger();

		private SameAddressSentinel(java.net.ServerSocket socket) {
			this.socket = socket;
			if (socket != null) {
				Thread thread = new Thread(() -> {
					while (!socket.isClosed()) {
						try (Socket accepted = socket.accept(); InputStream in = accepted.getInputStream()) {
							this.connections.incrementAndGet();
						}
						catch (IOException ex) {
							// closed
						}
					}
				});
				thread.setDaemon(true);
				thread.start();
			}
		}

		static SameAddressSentinel on(int port) {
			try {
				return new SameAddressSentinel(new java.net.ServerSocket(port, 50, address(127, 0, 0, 1)));
			}
			catch (IOException ex) {
				return new SameAddressSentinel(null);
			}
		}

		int connections() {
			return this.connections.get();
		}

		@Override
		public void close() throws IOException {
			if (this.socket != null) {
				this.socket.close();
			}
		}

	}

}
