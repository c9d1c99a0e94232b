package dev.mcpconnector.egress;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Makes every https connection reach exactly the address the {@link EgressPolicy} checked: an
 * in-process {@code CONNECT} tunnel on a loopback port that the JDK HTTP clients of
 * mcp-connector use as their proxy for https. For each tunnel the host is resolved once, every
 * address is checked, and the socket is opened to a checked address; the JDK client never
 * resolves the name itself, so a DNS answer that changes after the check (rebinding) is never
 * connected to. TLS stays end to end between the JDK client and the server (the tunnel only
 * relays bytes), so certificate and host name checks are unchanged.
 * <p>
 * Literal addresses and plain http are not tunnelled: a literal needs no resolution, and the
 * policy allows plain http only for loopback literals and {@code localhost} when insecure
 * loopback is enabled, names no DNS answer can change.
 * <p>
 * The tunnel listens on 127.0.0.1 only and relays only to addresses the policy permits. It
 * serves only the clients of this process: each {@code CONNECT} must carry
 * {@link #proxyAuthorization()}, a secret made when the tunnel starts (the clients of
 * {@link EgressHttpClient} send it); any other local process is answered 407 before the host
 * is even resolved. Connections whose head has not arrived are bounded per peer and in all
 * ({@link PendingTunnelHeads}), so slow or silent connections cannot take the sockets the
 * application's own clients need. Nothing it relays, and not the secret, is logged.
 */
final class EgressTunnel implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(EgressTunnel.class);

	private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

	/** How long a half-closed tunnel waits for the other side to finish. */
	private static final int DRAIN_TIMEOUT_MILLIS = 30_000;

	/** Client and server sockets of established tunnels open at once, at most. */
	private static final int MAX_SOCKETS = 4096;

	/** Connections from one peer address whose head has not arrived, at most. */
	private static final int MAX_PENDING_HEADS_PER_PEER = 256;

	/** Connections whose head has not arrived, at most. */
	private static final int MAX_PENDING_HEADS = 1024;

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final EgressPolicy policy;

	private final int connectTimeoutMillis;

	private final int headTimeoutMillis;

	private final ServerSocket server;

	private final InetSocketAddress address;

	private final ExecutorService workers;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong tunnels = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final ProxySelector proxySelector;

	private final String proxyAuthorization;

	private final PendingTunnelHeads heads = new PendingTunnelHeads(MAX_PENDING_HEADS_PER_PEER, MAX_PENDING_HEADS);

	private final AtomicLong unauthenticated = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Start a tunnel on an ephemeral loopback port.
	 * @param policy the policy every tunnel's host is resolved and checked with
	 * @param connectTimeout the TCP connect timeout to the server
	 */
	public EgressTunnel(EgressPolicy policy, Duration connectTimeout) {
		this(policy, connectTimeout, HEAD_TIMEOUT);
	}

	/**
	 * @param policy the policy every tunnel's host is resolved and checked with
	 * @param connectTimeout the TCP connect timeout to the server
	 * @param headTimeout the longest a client may take to send its whole CONNECT request
	 */
	EgressTunnel(EgressPolicy policy, Duration connectTimeout, Duration headTimeout) {
		Assert.notNull(policy, "policy cannot be null");
		this.headTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, headTimeout.toMillis()));
		Assert.notNull(connectTimeout, "connectTimeout cannot be null");
		this.policy = policy;
		this.connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
		int instance = INSTANCES.incrementAndGet();
		this.proxyAuthorization = TunnelClients.newCredential();
		try {
			this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not open the egress tunnel on a loopback port", ex);
		}
		this.address = new InetSocketAddress(this.server.getInetAddress(), this.server.getLocalPort());
		AtomicInteger threads = new AtomicInteger();
		this.workers = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "mcp-egress-tunnel-" + instance + "-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.proxySelector = TunnelClients.selector(this.address);
		this.workers.execute(this::accept);
	}

	/**
	 * The proxy selector for JDK HTTP clients: https through this tunnel, everything else
	 * direct (and refused by the policy unless it is loopback http in development).
	 * @return the selector
	 */
	public ProxySelector proxySelector() {
		return this.proxySelector;
	}

	/**
	 * The {@code Proxy-Authorization} value every {@code CONNECT} must carry: made for this
	 * tunnel when it starts, known only to this process, never logged.
	 * @return the value
	 */
	String proxyAuthorization() {
		return this.proxyAuthorization;
	}

	/** @return how many {@code CONNECT} requests were refused for lack of the credential */
	public long tunnelsUnauthenticated() {
		return this.unauthenticated.get();
	}

	/** @return how many connections were closed before their head arrived, to make room */
	public long headsEvicted() {
		return this.heads.evicted();
	}

	/** @return the loopback address the tunnel listens on */
	public InetSocketAddress address() {
		return this.address;
	}

	/** @return how many tunnels were opened to a server */
	public long tunnelsOpened() {
		return this.tunnels.get();
	}

	/** @return how many tunnel requests were refused (policy, syntax or unreachable) */
	public long tunnelsRefused() {
		return this.refused.get();
	}

	/** @return the number of sockets open now (client and server sides) */
	public int openSockets() {
		return this.open.size();
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
				// For example too many open files: keep the tunnel alive and try again shortly.
				logger.warn("The egress tunnel could not accept a connection: {}", ex.getClass().getSimpleName());
				pause();
				continue;
			}
			if (this.open.size() - this.heads.size() >= MAX_SOCKETS) {
				logger.warn("The egress tunnel holds {} sockets; refusing a new connection", this.open.size());
				closeQuietly(client);
				continue;
			}
			this.open.add(client);
			Socket evicted = this.heads.add(client);
			if (evicted != null) {
				closeQuietly(evicted);
			}
			try {
				this.workers.execute(() -> serve(client));
			}
			catch (RuntimeException ex) {
				closeQuietly(client);
			}
		}
	}

	private void serve(Socket client) {
		Socket upstream = null;
		try {
			upstream = open(client);
		}
		catch (IOException | RuntimeException ex) {
			// the client went away, was evicted, or the request was malformed
		}
		finally {
			this.heads.remove(client);
		}
		if (upstream == null) {
			closeQuietly(client);
			return;
		}
		Socket server = upstream;
		AtomicInteger directions = new AtomicInteger(2);
		try {
			this.workers.execute(() -> relay(server, client, directions));
		}
		catch (RuntimeException ex) {
			closeQuietly(client);
			closeQuietly(server);
			return;
		}
		relay(client, server, directions);
	}

	/**
	 * Read the CONNECT request, resolve and check its host, connect and confirm.
	 * @return the server socket, or {@code null} when refused (the refusal was answered)
	 */
	private Socket open(Socket client) throws IOException {
		client.setSoTimeout(this.headTimeoutMillis);
		InputStream in = client.getInputStream();
		OutputStream out = client.getOutputStream();
		TunnelRequestHead head = TunnelRequestHead.read(client, in, this.headTimeoutMillis);
		this.heads.remove(client);
		if (head == null || head.host() == null) {
			return refuse(out, "400 Bad Request");
		}
		if (!head.carries(this.proxyAuthorization)) {
			// Before the host is resolved: another process learns nothing of the policy or DNS.
			this.unauthenticated.incrementAndGet();
			return refuse(out, "407 Proxy Authentication Required\r\nProxy-Authenticate: Bearer realm=\"mcp-connector\"");
		}
		String host = head.host();
		int port = head.port();
		InetAddress[] addresses;
		try {
			addresses = this.policy.resolveChecked(host, port);
		}
		catch (McpConnectorException ex) {
			if (ex.error() != McpConnectorErrorCode.EGRESS_DENIED) {
				throw ex;
			}
			logger.debug("Egress tunnel to {} refused: {}", host, ex.getMessage());
			return refuse(out, "403 Forbidden");
		}
		catch (UnknownHostException ex) {
			// As for a refused address: the answer does not tell whether the name exists.
			return refuse(out, "403 Forbidden");
		}
		Socket upstream = connect(addresses, port);
		if (upstream == null) {
			return refuse(out, "502 Bad Gateway");
		}
		this.open.add(upstream);
		try {
			out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			client.setSoTimeout(0);
		}
		catch (IOException ex) {
			closeQuietly(upstream);
			throw ex;
		}
		this.tunnels.incrementAndGet();
		return upstream;
	}

	private Socket connect(InetAddress[] addresses, int port) {
		for (InetAddress address : addresses) {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(address, port), this.connectTimeoutMillis);
				socket.setTcpNoDelay(true);
				return socket;
			}
			catch (IOException ex) {
				closeQuietly(socket);
			}
		}
		return null;
	}

	/**
	 * Copy one direction until end of stream, then half-close the other side; the second
	 * direction to finish closes both sockets, and an error in either closes both at once.
	 */
	private void relay(Socket from, Socket to, AtomicInteger directions) {
		byte[] buffer = new byte[16 * 1024];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			for (int n; (n = in.read(buffer)) != -1;) {
				out.write(buffer, 0, n);
				out.flush();
			}
			to.shutdownOutput();
			if (directions.decrementAndGet() > 0) {
				// The other direction reads from this socket: a peer that never finishes must not
				// hold its thread and sockets for ever.
				to.setSoTimeout(DRAIN_TIMEOUT_MILLIS);
				return;
			}
		}
		catch (IOException ex) {
			// reset or closed: end both directions
		}
		closeQuietly(from);
		closeQuietly(to);
	}

	private Socket refuse(OutputStream out, String status) {
		this.refused.incrementAndGet();
		try {
			out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
		catch (IOException ex) {
			// the client went away
		}
		return null;
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void closeQuietly(Socket socket) {
		this.open.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
		for (Socket socket : List.copyOf(this.open)) {
			closeQuietly(socket);
		}
		this.workers.shutdownNow();
	}

	@Override
	public String toString() {
		return "EgressTunnel[" + this.address + ", tunnels=" + this.tunnels.get() + "]";
	}

}
