package dev.mcpconnector.execution;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpTransportException;

/**
 * Cuts Server-Sent Events bodies into whole events (lines end with LF, CR or CRLF; an event
 * ends with an empty line) and keeps what resuming a stream needs across the streams of one
 * request: the last event id and the server's {@code retry} (WHATWG HTML, "Server-sent
 * events", parsing an event stream). An event without data (a priming event, a comment) is
 * read and withheld: the SDK skips it anyway, and a stream that failed before anything
 * reached the SDK can still fail the request at once (see {@link ResumableEventStream}). An
 * event cut off by the end of a stream is dropped, as the SSE rules say. Not thread-safe: one
 * request's streams are read one after another.
 */
final class SseEventScanner {

	private static final int FRAMING = 64;

	private final int maxEventBytes;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private final ByteArrayOutputStream event = new ByteArrayOutputStream();

	private final StringBuilder data = new StringBuilder();

	private boolean afterCr;

	private String pendingId;

	private String lastId;

	private Long retryMillis;

	/**
	 * A scanner.
	 * @param maxEventBytes the most bytes one event may take (the session's response cap)
	 */
	SseEventScanner(int maxEventBytes) {
		this.maxEventBytes = (maxEventBytes > Integer.MAX_VALUE - FRAMING) ? Integer.MAX_VALUE
				: maxEventBytes + FRAMING;
	}

	/** A new stream of the same request begins: a half-read line or event of the last is gone. */
	void newStream() {
		this.line.reset();
		this.event.reset();
		this.data.setLength(0);
		this.afterCr = false;
		this.pendingId = null;
	}

	/**
	 * Read a chunk of a body.
	 * @param chunk the bytes (not consumed)
	 * @return the events completed by it that carry data, as bytes to hand on, in order
	 * @throws McpTransportException when an event grows over the cap
	 */
	List<Event> feed(List<ByteBuffer> chunk) {
		List<Event> events = new ArrayList<>(1);
		for (ByteBuffer buffer : chunk) {
			ByteBuffer bytes = buffer.duplicate();
			while (bytes.hasRemaining()) {
				if (this.afterCr) {
					this.afterCr = false;
					if (bytes.get(bytes.position()) == '\n') {
						bytes.get();
						continue;
					}
				}
				int end = lineEnd(bytes);
				int length = ((end < 0) ? bytes.limit() : end) - bytes.position();
				if (this.line.size() + this.event.size() + length > this.maxEventBytes) {
					throw new McpTransportException(
							"Inbound SSE event exceeds the maximum allowed size of " + this.maxEventBytes + " bytes");
				}
				byte[] part = new byte[length];
				bytes.get(part);
				this.line.writeBytes(part);
				if (end >= 0) {
					this.afterCr = bytes.get() == '\r';
					endOfLine(events);
				}
			}
		}
		return events;
	}

	/**
	 * The id of the last whole event that set one, for {@code Last-Event-ID}.
	 * @return the id, or null when none was seen or the server cleared it
	 */
	String lastId() {
		return this.lastId;
	}

	/**
	 * The reconnection time the server last asked for.
	 * @return milliseconds, or null when it never sent a valid {@code retry}
	 */
	Long retryMillis() {
		return this.retryMillis;
	}

	private static int lineEnd(ByteBuffer bytes) {
		for (int i = bytes.position(); i < bytes.limit(); i++) {
			byte b = bytes.get(i);
			if (b == '\n' || b == '\r') {
				return i;
			}
		}
		return -1;
	}

	private void endOfLine(List<Event> events) {
		byte[] raw = this.line.toByteArray();
		this.line.reset();
		if (raw.length == 0) {
			dispatch(events);
			return;
		}
		this.event.writeBytes(raw);
		this.event.write('\n');
		String text = new String(raw, StandardCharsets.UTF_8);
		int colon = text.indexOf(':');
		if (colon == 0) {
			return;
		}
		String name = (colon < 0) ? text : text.substring(0, colon);
		String value = (colon < 0) ? "" : text.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (name) {
			case "data" -> this.data.append(value).append('\n');
			case "id" -> {
				if (value.indexOf('\0') < 0) {
					this.pendingId = value;
				}
			}
			case "retry" -> {
				if (!value.isEmpty() && value.length() <= 9 && value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
					this.retryMillis = Long.valueOf(value);
				}
			}
			default -> {
			}
		}
	}

	private void dispatch(List<Event> events) {
		if (this.pendingId != null) {
			this.lastId = this.pendingId.isEmpty() ? null : this.pendingId;
			this.pendingId = null;
		}
		String payload = this.data.toString();
		if (!payload.isBlank()) {
			this.event.write('\n');
			events.add(new Event(List.of(ByteBuffer.wrap(this.event.toByteArray())), isResponse(payload)));
		}
		this.event.reset();
		this.data.setLength(0);
	}

	/** A JSON-RPC response (result or error): on a request's own stream, the one it waits for. */
	private static boolean isResponse(String payload) {
		try {
			// The SDK's own rule (McpSchema.deserializeJsonRpcMessage), without its debug log of
			// the message: a result or an error, and no method.
			Object message = McpJsonDefaults.getMapper().readValue(payload.trim(), Object.class);
			return message instanceof Map<?, ?> map && !map.containsKey("method")
					&& (map.containsKey("result") || map.containsKey("error"));
		}
		catch (Exception ex) {
			// Not JSON-RPC: the SDK will say so when it reads the event.
			return false;
		}
	}

	/**
	 * One whole event.
	 * @param bytes its lines, each ended by LF, and the empty line that ends it
	 * @param response whether it carries a JSON-RPC response
	 */
	record Event(List<ByteBuffer> bytes, boolean response) {
	}

}
