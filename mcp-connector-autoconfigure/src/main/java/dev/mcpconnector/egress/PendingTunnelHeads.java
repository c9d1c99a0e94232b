package dev.mcpconnector.egress;

import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link EgressTunnel}'s connections whose {@code CONNECT} head has not arrived yet,
 * bounded per peer address and in all. A new connection over either bound evicts the oldest
 * unfinished head (of the same peer, or of all), so slow or silent clients hold only a bounded
 * share of the tunnel's sockets and threads, and never keep out a client that sends its head at
 * once, as the application's own HTTP clients do. Local clients all come from loopback, so the
 * peer bound alone would not do: it is the eviction that keeps the tunnel open to them.
 */
final class PendingTunnelHeads {

	private final int perPeer;

	private final int total;

	/** In arrival order, oldest first. */
	private final LinkedHashMap<Socket, InetAddress> pending = new LinkedHashMap<>();

	private final Map<InetAddress, Integer> counts = new HashMap<>();

	private long evicted;

	PendingTunnelHeads(int perPeer, int total) {
		this.perPeer = perPeer;
		this.total = total;
	}

	/**
	 * Track a new connection.
	 * @param socket the connection, its head still to come
	 * @return the connection evicted to make room, to be closed by the caller, or {@code null}
	 */
	synchronized Socket add(Socket socket) {
		InetAddress peer = socket.getInetAddress();
		Socket eviction = null;
		if (this.counts.getOrDefault(peer, 0) >= this.perPeer) {
			for (Map.Entry<Socket, InetAddress> entry : this.pending.entrySet()) {
				if (entry.getValue().equals(peer)) {
					eviction = entry.getKey();
					break;
				}
			}
		}
		else if (this.pending.size() >= this.total) {
			Iterator<Socket> oldest = this.pending.keySet().iterator();
			eviction = oldest.hasNext() ? oldest.next() : null;
		}
		if (eviction != null) {
			remove(eviction);
			this.evicted++;
		}
		this.pending.put(socket, peer);
		this.counts.merge(peer, 1, Integer::sum);
		return eviction;
	}

	/**
	 * Stop tracking a connection: its head arrived, or it failed or was closed.
	 * @param socket the connection
	 */
	synchronized void remove(Socket socket) {
		InetAddress peer = this.pending.remove(socket);
		if (peer != null) {
			this.counts.computeIfPresent(peer, (address, count) -> (count > 1) ? count - 1 : null);
		}
	}

	/** @return how many connections wait for their head now */
	synchronized int size() {
		return this.pending.size();
	}

	/** @return how many unfinished heads were evicted since start */
	synchronized long evicted() {
		return this.evicted;
	}

}
