package dev.mcpconnector.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head of a request to the {@link EgressTunnel}: its request line and its
 * {@code Proxy-Authorization}, read bounded in size and in time, so a client that never
 * finishes its head holds a worker for at most the head timeout. {@link #toString()} leaves
 * the credential out.
 */
final class TunnelRequestHead {

	static final int MAX_HEAD_BYTES = 8 * 1024;

	private static final Pattern CONNECT = Pattern
		.compile("CONNECT (\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5}) HTTP/1\\.[01]");

	private final String requestLine;

	private final String proxyAuthorization;

	private TunnelRequestHead(String requestLine, String proxyAuthorization) {
		this.requestLine = requestLine;
		this.proxyAuthorization = proxyAuthorization;
	}

	/** @return the first line, without its line end */
	String requestLine() {
		return this.requestLine;
	}

	/** @return the host of a well-formed {@code CONNECT} (lower case), or {@code null} */
	String host() {
		Matcher matcher = CONNECT.matcher(this.requestLine);
		return (matcher.matches() && port() > 0) ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
	}

	/** @return the port of a well-formed {@code CONNECT}, or 0 */
	int port() {
		Matcher matcher = CONNECT.matcher(this.requestLine);
		int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
		return (port <= 65535) ? port : 0;
	}

	/**
	 * Whether the head's {@code Proxy-Authorization} is the expected one, compared in
	 * constant time.
	 * @param expected the tunnel's credential
	 * @return whether it was presented
	 */
	boolean carries(String expected) {
		return this.proxyAuthorization != null && MessageDigest.isEqual(
				this.proxyAuthorization.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Read the request head up to the empty line.
	 * @param client the client socket (its read timeout is changed)
	 * @param in the socket's input
	 * @param timeoutMillis how long the whole head may take
	 * @return the head, or {@code null} when it was cut off, too large or too slow
	 * @throws IOException when reading fails
	 */
	static TunnelRequestHead read(Socket client, InputStream in, int timeoutMillis) throws IOException {
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
		String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
		String proxyAuthorization = null;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0 && "proxy-authorization".equals(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
				proxyAuthorization = lines[i].substring(colon + 1).trim();
			}
		}
		return new TunnelRequestHead(lines[0], proxyAuthorization);
	}

	@Override
	public String toString() {
		return "TunnelRequestHead[" + this.requestLine + ", proxyAuthorization="
				+ ((this.proxyAuthorization != null) ? "[REDACTED]" : "none") + "]";
	}

}
