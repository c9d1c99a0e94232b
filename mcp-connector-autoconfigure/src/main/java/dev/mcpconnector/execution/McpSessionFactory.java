package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.egress.EgressHttpClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.client.McpInvalidResultException;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Opens the SDK session of an owner's connection: reads the connection and its token, checks
 * the URL against the egress policy, and builds the peer of the revision the connection speaks:
 * 2026-07-28 on the {@link ModernClientFactory}, older ones on the transport factory of the
 * connection's transport; a revision not known yet is probed on first use and stored. Every session's HTTP client records its failed exchanges
 * for the {@link SdkExceptionTranslator}.
 */
final class McpSessionFactory {

	private static final Logger logger = LoggerFactory.getLogger(McpSessionFactory.class);

	private final McpConnectionService connections;

	private final SessionAuthorization authorization;

	private final EgressHttpClient http;

	private final McpClientSettings settings;

	private final ModernClientFactory modern;

	private final Map<McpTransport, McpClientTransportFactory> transports = new EnumMap<>(McpTransport.class);

	/** One worker pool for every session's HTTP client, instead of a pool per session. */
	private final ExecutorService httpExecutor = Executors.newCachedThreadPool(Threads.daemon("mcp-http-"));

	/**
	 * One JDK client per connect timeout, shared by every session (each wraps it with a
	 * recorder of its own): a JDK client has a selector thread and a connection pool, which an
	 * idle session should not hold alone (issue 21: no thread per session). Requests carry
	 * their own token and MCP session id; the client keeps no cookies or credentials.
	 */
	private final Map<Duration, HttpClient> httpClients = new ConcurrentHashMap<>();

	McpSessionFactory(McpConnectionService connections, SessionAuthorization authorization, EgressHttpClient http,
			McpClientSettings settings, List<McpClientTransportFactory> transports) {
		this.connections = connections;
		this.authorization = authorization;
		this.http = http;
		this.settings = settings;
		this.modern = new ModernClientFactory(settings);
		transports.forEach((factory) -> this.transports.put(factory.transport(), factory));
	}

	/**
	 * Open a session (the SDK connects lazily, on its first request).
	 * @param key the owner and connection
	 * @return the session
	 * @throws AuthorizationRequiredException when the connection must be authorized first
	 */
	McpSession open(McpSession.Key key) {
		McpConnection connection = this.connections.get(key.owner(), key.connectionId());
		if (connection.status() == ConnectionStatus.AUTHORIZATION_REQUIRED
				|| connection.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
			throw new AuthorizationRequiredException(connection.id(), null, false,
					"The connection must be authorized first");
		}
		Optional<ConnectionCredentials> credentials = this.authorization.credentials(key.owner(), key.connectionId());
		URI url = connection.serverUrl();
		this.http.policy().check(url);
		SessionTokenSource tokens = new SessionTokenSource(key.owner(), connection.id(), this.authorization,
				credentials.orElse(null), java.time.Clock.systemUTC());
		ExchangeRecorder exchanges = new ExchangeRecorder();
		// A connection's own values come from its user's connect request: they may only lower the
		// operator's caps, never raise them.
		Duration connectTimeout = lower(connection.limits().connectTimeout(), this.settings.connectTimeout());
		int maxResponseBytes = (connection.limits().maxResponseBytes() != null)
				? (int) Math.min(connection.limits().maxResponseBytes(), this.settings.maxResponseBytes())
				: this.settings.maxResponseBytes();
		Supplier<McpClientTransportFactory.TransportRequest> requests = () -> new McpClientTransportFactory.TransportRequest(
				key.owner(), connection, RecordingHttpClient.builder(httpClient(connectTimeout), exchanges),
				connectTimeout, maxResponseBytes, tokens);
		McpSession session = new McpSession(key, tokens, exchanges, connection.name(), connection.resourceUri(),
				connection.transport());
		Duration timeout = lower(connection.requestTimeout(), this.settings.requestTimeout());
		String version = connection.protocolVersion();
		if (connection.transport() == McpTransport.SSE || (version != null && !ModernClientFactory.isModern(version))) {
			session.peer(legacy(connection, session, requests.get(), timeout));
		}
		else if (version != null) {
			session.peer(new ModernPeer(this.modern.create(requests.get(), timeout)));
		}
		else {
			// Not known yet (an OAuth server answered connect's probe with 401): ask with the token.
			session.resolver(() -> probe(connection, session, requests, timeout));
		}
		return session;
	}

	private static Duration lower(Duration own, Duration cap) {
		return (own != null && own.compareTo(cap) < 0) ? own : cap;
	}

	private HttpClient httpClient(Duration connectTimeout) {
		return this.httpClients.computeIfAbsent(connectTimeout,
				(timeout) -> this.http.newHttpClientBuilder(timeout).executor(this.httpExecutor).build());
	}

	/**
	 * The spec's rule ({@code basic/versioning}) with the session's token: a 2026-07-28
	 * {@code server/discover} first; a 4xx without a JSON-RPC error body, a JSON-RPC error or a
	 * result that lists no revision we speak means an older server. A 401 or 403 and anything
	 * unreachable fail the operation as they would any other, and the next one asks again.
	 */
	private McpPeer probe(McpConnection connection, McpSession session,
			Supplier<McpClientTransportFactory.TransportRequest> requests, Duration timeout) {
		ModernPeer modern = new ModernPeer(this.modern.create(requests.get(), timeout));
		io.modelcontextprotocol.modern.McpSchema.DiscoverResult discovered;
		try {
			discovered = modern.client().discover();
		}
		catch (McpHttpStatusException ex) {
			if (ex.statusCode() == 401 || ex.statusCode() == 403 || ex.statusCode() >= 500) {
				throw ex;
			}
			return legacy(connection, session, requests.get(), timeout);
		}
		catch (McpException | McpInvalidResultException ex) {
			return legacy(connection, session, requests.get(), timeout);
		}
		if (discovered == null || discovered.capabilities() == null || discovered.supportedVersions() == null
				|| !discovered.supportedVersions().contains(ModernClientFactory.FIRST_MODERN_REVISION)) {
			return legacy(connection, session, requests.get(), timeout);
		}
		logger.debug("Connection {} speaks MCP {}", connection.id(), ModernClientFactory.FIRST_MODERN_REVISION);
		storeRevision(session.key().owner(), connection.id(), ModernClientFactory.FIRST_MODERN_REVISION);
		return modern.markStarted();
	}

	private LegacyPeer legacy(McpConnection connection, McpSession session,
			McpClientTransportFactory.TransportRequest request, Duration timeout) {
		McpClientTransportFactory factory = this.transports.get(connection.transport());
		Assert.state(factory != null, () -> "No transport factory for " + connection.transport());
		McpClientTransport transport = factory.create(request);
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation(this.settings.clientName(), this.settings.clientVersion()))
			.requestTimeout(timeout)
			.initializationTimeout(timeout)
			.toolsChangeConsumer(session::tools);
		if (this.settings.elicitation() != null) {
			spec.elicitation(this.settings.elicitation()).applyElicitationDefaults(true);
		}
		String stored = connection.protocolVersion();
		McpOwner owner = session.key().owner();
		return new LegacyPeer(spec.build(), connection.id(), (negotiated) -> {
			// Once per session, after its initialize: the warm path never writes.
			if (!negotiated.equals(stored)) {
				storeRevision(owner, connection.id(), negotiated);
			}
		});
	}

	/**
	 * Store what the server speaks, best effort: the row may be changing under a concurrent
	 * refresh (another instance, another session), so one retry on a fresh read, then leave it;
	 * a revision not stored is only probed again by the next session.
	 */
	void storeRevision(McpOwner owner, java.util.UUID connectionId, String protocolVersion) {
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				this.connections.updateProtocolVersion(owner, connectionId, protocolVersion);
				return;
			}
			catch (RuntimeException ex) {
				logger.debug("Storing the revision of connection {} failed: {}", connectionId,
						ex.getClass().getSimpleName());
			}
		}
	}

	/** Stop the HTTP workers (after every session is closed). */
	void shutdown() {
		this.httpExecutor.shutdown();
	}

}
