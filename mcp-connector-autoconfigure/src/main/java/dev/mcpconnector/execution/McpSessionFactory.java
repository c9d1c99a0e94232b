package dev.mcpconnector.execution;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.egress.EgressHttpClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;

/**
 * Opens the SDK session of an owner's connection: reads the connection and its token, checks
 * the URL against the egress policy, and builds the client on the transport factory of the
 * transport the connection speaks. Every session's HTTP client records its failed exchanges
 * for the {@link SdkExceptionTranslator}.
 */
final class McpSessionFactory {

	private final McpConnectionService connections;

	private final SessionAuthorization authorization;

	private final EgressHttpClient http;

	private final McpClientSettings settings;

	private final Map<McpTransport, McpClientTransportFactory> transports = new EnumMap<>(McpTransport.class);

	/** One worker pool for every session's HTTP client, instead of a pool per session. */
	private final ExecutorService httpExecutor = Executors.newCachedThreadPool(Threads.daemon("mcp-http-"));

	McpSessionFactory(McpConnectionService connections, SessionAuthorization authorization, EgressHttpClient http,
			McpClientSettings settings, List<McpClientTransportFactory> transports) {
		this.connections = connections;
		this.authorization = authorization;
		this.http = http;
		this.settings = settings;
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
		McpClientTransportFactory factory = this.transports.get(connection.transport());
		Assert.state(factory != null, () -> "No transport factory for " + connection.transport());
		SessionTokenSource tokens = new SessionTokenSource(key.owner(), connection.id(), this.authorization,
				credentials.map(ConnectionCredentials::accessToken).orElse(null));
		ExchangeRecorder exchanges = new ExchangeRecorder();
		Duration connectTimeout = (connection.limits().connectTimeout() != null) ? connection.limits().connectTimeout()
				: this.settings.connectTimeout();
		int maxResponseBytes = (connection.limits().maxResponseBytes() != null)
				? connection.limits().maxResponseBytes().intValue() : this.settings.maxResponseBytes();
		HttpClient.Builder client = RecordingHttpClient
			.builder(this.http.newHttpClientBuilder(connectTimeout).executor(this.httpExecutor), exchanges);
		McpClientTransport transport = factory.create(new McpClientTransportFactory.TransportRequest(key.owner(),
				connection, client, connectTimeout, maxResponseBytes, tokens));
		McpSession session = new McpSession(key, tokens, exchanges, connection.name(), url.getHost(),
				connection.transport());
		Duration timeout = (connection.requestTimeout() != null) ? connection.requestTimeout()
				: this.settings.requestTimeout();
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation(this.settings.clientName(), this.settings.clientVersion()))
			.requestTimeout(timeout)
			.initializationTimeout(timeout)
			.toolsChangeConsumer(session::tools);
		if (this.settings.elicitation() != null) {
			spec.elicitation(this.settings.elicitation()).applyElicitationDefaults(true);
		}
		session.client(spec.build());
		return session;
	}

	/** Stop the HTTP workers (after every session is closed). */
	void shutdown() {
		this.httpExecutor.shutdown();
	}

}
