package dev.mcpconnector.execution;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled MCP SDK session of an owner's connection: the peer (in the revision the server
 * speaks, found on first use when the connection does not know it yet), the token its transport
 * carries, the failed exchanges its transport saw, and the server's tools once listed.
 */
final class McpSession {

	private static final Logger logger = LoggerFactory.getLogger(McpSession.class);

	private final Key key;

	private final SessionTokenSource tokens;

	private final ExchangeRecorder exchanges;

	private final String connectionName;

	private final java.net.URI serverUrl;

	private final McpTransport transport;

	private volatile McpPeer peer;

	private volatile Supplier<McpPeer> resolver;

	private volatile List<McpSchema.Tool> tools;

	private volatile long lastUsed = System.nanoTime();

	/**
	 * Operations run on this session (a hint, not exact under concurrency): 1 after a
	 * connection check that opened it, more once a caller used it too.
	 */
	private volatile int uses;

	/** When {@link #close()} ran ({@link System#nanoTime()}), or {@code Long.MAX_VALUE}. */
	private volatile long closedAt = Long.MAX_VALUE;

	McpSession(Key key, SessionTokenSource tokens, ExchangeRecorder exchanges, String connectionName,
			java.net.URI serverUrl, McpTransport transport) {
		this.key = key;
		this.tokens = tokens;
		this.exchanges = exchanges;
		this.connectionName = connectionName;
		this.serverUrl = serverUrl;
		this.transport = transport;
	}

	void peer(McpPeer peer) {
		this.peer = peer;
	}

	/**
	 * Find the peer on first use (the revision probe talks to the server, so it runs inside an
	 * operation, where its failures are classified like any other).
	 * @param resolver what finds the peer; run again after a failure
	 */
	void resolver(Supplier<McpPeer> resolver) {
		this.resolver = resolver;
	}

	/**
	 * The peer, found first when the revision is not known yet.
	 * @return the peer
	 */
	McpPeer peer() {
		McpPeer current = this.peer;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.peer == null) {
				this.peer = this.resolver.get();
			}
			return this.peer;
		}
	}

	/** Whether the session speaks 2026-07-28 (known once its peer is). */
	boolean isModern() {
		McpPeer current = this.peer;
		return current != null && current.modern();
	}

	/** Whether the session has spoken to the server yet. */
	boolean isStarted() {
		McpPeer current = this.peer;
		return current != null && current.started();
	}

	Key key() {
		return this.key;
	}

	SessionTokenSource tokens() {
		return this.tokens;
	}

	ExchangeRecorder exchanges() {
		return this.exchanges;
	}

	String connectionName() {
		return this.connectionName;
	}

	/** The canonical URL of the server (what governance rules match). */
	java.net.URI serverUrl() {
		return this.serverUrl;
	}

	McpTransport transport() {
		return this.transport;
	}

	long lastUsed() {
		return this.lastUsed;
	}

	int uses() {
		return this.uses;
	}

	boolean isClosed() {
		return this.closedAt != Long.MAX_VALUE;
	}

	/**
	 * Whether this session was closed here (evicted, discarded, its connection deleted) before
	 * a moment: an operation started after that never reached the server.
	 * @param nanoTime a {@link System#nanoTime()} reading
	 * @return whether it was closed before then
	 */
	boolean closedBefore(long nanoTime) {
		long closed = this.closedAt;
		return closed != Long.MAX_VALUE && closed - nanoTime <= 0;
	}

	/** Mark a use now, for the idle sweep and the LRU order. */
	void touch() {
		this.lastUsed = System.nanoTime();
		this.uses++;
	}

	/**
	 * The tools the session listed, or {@code null} when it has not listed them yet.
	 * @return the cached tools
	 */
	List<McpSchema.Tool> cachedTools() {
		return this.tools;
	}

	void tools(List<McpSchema.Tool> tools) {
		this.tools = List.copyOf(tools);
	}

	/**
	 * The server's tools, every page, from the cache once listed (the SDK refreshes the cache
	 * on {@code notifications/tools/list_changed}).
	 * @return the tools
	 */
	List<McpSchema.Tool> allTools() {
		List<McpSchema.Tool> cached = this.tools;
		if (cached != null) {
			return cached;
		}
		List<McpSchema.Tool> listed = List.copyOf(peer().listTools());
		this.tools = listed;
		return listed;
	}

	/**
	 * The server's tools for a listing. A 2026-07-28 peer is asked each time: the SDK's catalog
	 * answers from its cache only while the listing's {@code ttlMs} lasts, and there is no
	 * session to carry {@code list_changed}, so a change is seen once the server's lifetime for
	 * the list has passed. An older peer answers from the cache, which the SDK refreshes on
	 * {@code notifications/tools/list_changed}. A call keeps using {@link #allTools()}: a warm
	 * call stays one request.
	 * @return the tools
	 */
	List<McpSchema.Tool> listedTools() {
		List<McpSchema.Tool> cached = this.tools;
		if (cached != null && !isModern()) {
			return cached;
		}
		List<McpSchema.Tool> listed = List.copyOf(peer().listTools());
		this.tools = listed;
		return listed;
	}

	synchronized void close() {
		if (this.closedAt == Long.MAX_VALUE) {
			// The first close counts: an operation that began after it never reached the server.
			this.closedAt = System.nanoTime();
		}
		McpPeer current = this.peer;
		if (current == null) {
			return;
		}
		try {
			current.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing an MCP session failed: {}", ex.getClass().getSimpleName());
		}
	}

	@Override
	public String toString() {
		return "McpSession[connectionId=" + this.key.connectionId() + ", transport=" + this.transport + "]";
	}

	/** Sessions are per owner and connection. */
	record Key(McpOwner owner, UUID connectionId) {
	}

}
