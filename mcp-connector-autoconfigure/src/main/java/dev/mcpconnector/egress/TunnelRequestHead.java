package dev.mcpconnector.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head of a request to the {@link EgressTunnel}: bounded in size and in time, so a
 * client that never finishes its head holds a worker for at most the head timeout.
 */
final class TunnelRequestHead {

	static final int MAX_HEAD_BYTES = 8 * 1024;

	private TunnelRequestHead() {
	}

	/**
	 * Read the request head up to the empty line.
	 * @param client the client socket (its read timeout is changed)
	 * @param in the socket's input
	 * @param timeoutMillis how long the whole head may take
	 * @return its first line, or {@code null} when the head was cut off, too large or too slow
	 * @throws IOException when reading fails
	 */
	static String readFirstLine(Socket client, InputStream in, int timeoutMillis) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(256);
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
		int state = 0;
		try {
			while (state < 4) {
				long left = (deadline - System.nanoTime()) / 1_000_000L;
				if (left <= 0) {
					return null;
				}
				client.setSoTimeout((int) left);
				int b = in.read();
				if (b == -1 || head.size() >= MAX_HEAD_BYTES) {
					return null;
				}
				head.write(b);
				state = switch (state) {
					case 0, 2 -> (b == '\r') ? state + 1 : 0;
					case 1, 3 -> (b == '\n') ? state + 1 : ((b == '\r') ? 1 : 0);
					default -> 0;
				};
			}
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		String text = head.toString(StandardCharsets.US_ASCII);
		return text.substring(0, text.indexOf('\r'));
	}

}
