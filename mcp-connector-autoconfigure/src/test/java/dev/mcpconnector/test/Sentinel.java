package dev.mcpconnector.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener that only counts: every TCP connection that reaches it is recorded and
 * closed. SSRF tests point crafted URLs at it and require the count to stay at zero. It listens
 * on 127.0.0.1 and ::1 on the same port.
 */
public final class Sentinel implements AutoCloseable {

	private final List<ServerSocket> sockets = new ArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final int port;

	public Sentinel() {
		this("127.0.0.1");
	}

	/**
	 * A sentinel on one IPv4 loopback address (and ::1 too when it is 127.0.0.1).
	 * @param address such as 127.0.0.2, an allow-listed host whose other ports must stay shut
	 */
	public Sentinel(String address) {
		try {
			ServerSocket v4 = new ServerSocket();
			v4.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
			this.port = v4.getLocalPort();
			this.sockets.add(v4);
			if ("127.0.0.1".equals(address)) {
				try {
					ServerSocket v6 = new ServerSocket();
					v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), this.port));
					this.sockets.add(v6);
				}
				catch (IOException ex) {
					// no IPv6 loopback here
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		startAccepting();
	}

	private void startAccepting() {
		for (ServerSocket socket : this.sockets) {
			Thread thread = new Thread(() -> accept(socket), "sentinel-" + this.port);
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				this.connections.incrementAndGet();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	public int port() {
		return this.port;
	}

	public int connections() {
		return this.connections.get();
	}

	@Override
	public void close() {
		for (ServerSocket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}
