package dev.mcpconnector.execution;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.Assert;

/**
 * Calls the tools of a user's connections through MCP Java SDK sessions, one per (owner,
 * connection), opened lazily and kept. Each session's transport carries its own token source,
 * so every request it makes (including the SDK's background ones) is authorized for that
 * connection only. A 401 refreshes the token and replays once; a grant that cannot be
 * refreshed, or a 403 {@code insufficient_scope}, becomes an
 * {@link AuthorizationRequiredException}.
 */
public class McpToolExecutor implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(McpToolExecutor.class);

	private final McpConnectionService connections;

	private final McpAuthorizationService authorization;

	private final EgressPolicy policy;

	private final McpClientSettings settings;

	private final ConcurrentMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();

	public McpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
			EgressPolicy policy, McpClientSettings settings) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(authorization, "authorization cannot be null");
		Assert.notNull(policy, "policy cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		this.connections = connections;
		this.authorization = authorization;
		this.policy = policy;
		this.settings = settings;
	}

	/**
	 * The tools of one of the owner's connections.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the tools, every page
	 */
	public List<McpSchema.Tool> listTools(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing tools", (client) -> client.listTools().tools());
	}

	/**
	 * Call a tool.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param tool the tool name
	 * @param arguments the arguments
	 * @return the result; a tool-level failure is a result with {@code isError}
	 */
	public McpSchema.CallToolResult callTool(McpOwner owner, UUID connectionId, String tool,
			Map<String, Object> arguments) {
		Assert.hasText(tool, "tool cannot be empty");
		McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, (arguments != null) ? arguments : Map.of());
		return execute(owner, connectionId, "Calling tool " + tool, (client) -> client.callTool(request));
	}

	/**
	 * Close and forget the session of a connection (after revoke or delete).
	 * @param owner the owner
	 * @param connectionId the connection
	 */
	public void close(McpOwner owner, UUID connectionId) {
		Session session = this.sessions.remove(new SessionKey(owner, connectionId));
		if (session != null) {
			session.close();
		}
	}

	@Override
	public void destroy() {
		this.sessions.values().forEach(Session::close);
		this.sessions.clear();
	}

	private <T> T execute(McpOwner owner, UUID connectionId, String what, Function<McpSyncClient, T> operation) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		for (int attempt = 0;; attempt++) {
			Session session = session(owner, connectionId);
			try {
				return operation.apply(session.client);
			}
			catch (RuntimeException ex) {
				Optional<McpHttpClientTransportAuthorizationException> denied = causeOf(ex,
						McpHttpClientTransportAuthorizationException.class);
				if (denied.isPresent()) {
					discard(owner, connectionId, session);
					throw authorizationFailure(owner, connectionId, session, denied.get());
				}
				if (attempt == 0 && isSessionLost(ex)) {
					logger.debug("Session of connection {} was lost; retrying once", connectionId);
					discard(owner, connectionId, session);
					continue;
				}
				throw translate(connectionId, what, ex);
			}
		}
	}

	private RuntimeException authorizationFailure(McpOwner owner, UUID connectionId, Session session,
			McpHttpClientTransportAuthorizationException denied) {
		if (session.tokens.failure != null) {
			return session.tokens.failure;
		}
		int status = denied.getResponseInfo().statusCode();
		BearerChallenge challenge = BearerChallenge.parse(denied.getResponseInfo().headers().allValues("WWW-Authenticate"))
			.orElse(null);
		if (status == 403 && challenge != null && challenge.isInsufficientScope()) {
			return this.authorization.stepUpRequired(owner, connectionId, challenge);
		}
		ConnectionStatus next = (session.tokens.accessToken != null) ? ConnectionStatus.REAUTHORIZATION_REQUIRED
				: ConnectionStatus.AUTHORIZATION_REQUIRED;
		this.connections.updateStatus(owner, connectionId, next);
		return new AuthorizationRequiredException(connectionId, null, false, challenge,
				"The server requires authorization (HTTP " + status + ")");
	}

	private static RuntimeException translate(UUID connectionId, String what, RuntimeException ex) {
		if (ex instanceof dev.mcpconnector.McpConnectorException typed) {
			return typed;
		}
		Optional<McpError> rpc = causeOf(ex, McpError.class);
		if (rpc.isPresent() && rpc.get().getJsonRpcError() != null) {
			McpSchema.JSONRPCResponse.JSONRPCError error = rpc.get().getJsonRpcError();
			return new McpExecutionException("upstream-error", connectionId, error.code(),
					what + " failed: the server answered " + error.code() + " " + Objects.toString(error.message(), ""),
					null);
		}
		if (causeOf(ex, TimeoutException.class).isPresent()) {
			return McpExecutionException.timeout(connectionId, what);
		}
		return new McpExecutionException("upstream-unreachable", connectionId, null,
				what + " failed: " + ex.getClass().getSimpleName(), null);
	}

	private static boolean isSessionLost(RuntimeException ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.modelcontextprotocol.spec.McpTransportSessionNotFoundException
					|| (t.getMessage() != null && t.getMessage().contains("MCP session with server terminated"))) {
				return true;
			}
		}
		return false;
	}

	private void discard(McpOwner owner, UUID connectionId, Session session) {
		if (this.sessions.remove(new SessionKey(owner, connectionId), session)) {
			session.close();
		}
	}

	private Session session(McpOwner owner, UUID connectionId) {
		SessionKey key = new SessionKey(owner, connectionId);
		Session existing = this.sessions.get(key);
		if (existing != null) {
			return existing;
		}
		McpConnection connection = this.connections.get(owner, connectionId);
		if (connection.status() == ConnectionStatus.AUTHORIZATION_REQUIRED
				|| connection.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
			throw new AuthorizationRequiredException(connectionId, null, false,
					"The connection must be authorized first");
		}
		Optional<ConnectionCredentials> credentials = this.authorization.credentials(owner, connectionId);
		Session created = open(owner, connection, credentials.orElse(null));
		Session raced = this.sessions.putIfAbsent(key, created);
		if (raced != null) {
			created.close();
			return raced;
		}
		return created;
	}

	private Session open(McpOwner owner, McpConnection connection, ConnectionCredentials credentials) {
		URI url = connection.serverUrl();
		this.policy.check(url);
		TokenSource tokens = new TokenSource(owner, connection.id(),
				(credentials != null) ? credentials.accessToken() : null);
		String path = (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
		if (url.getRawQuery() != null) {
			path = path + "?" + url.getRawQuery();
		}
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder(url.getScheme() + "://" + url.getRawAuthority())
			.endpoint(path)
			.clientBuilder(EgressHttpClient.newHttpClientBuilder(this.settings.connectTimeout()))
			.connectTimeout(this.settings.connectTimeout())
			.addHttpRequestCustomizer((builder, method, uri, body, context) -> {
				String token = tokens.accessToken;
				if (token != null) {
					builder.setHeader("Authorization", "Bearer " + token);
				}
			})
			.authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(tokens::onDenied))
			.build();
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation(this.settings.clientName(), this.settings.clientVersion()))
			.requestTimeout(this.settings.requestTimeout())
			.initializationTimeout(this.settings.requestTimeout());
		if (this.settings.elicitation() != null) {
			spec.elicitation(this.settings.elicitation()).applyElicitationDefaults(true);
		}
		return new Session(spec.build(), tokens);
	}

	private static <T extends Throwable> Optional<T> causeOf(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return Optional.of(type.cast(t));
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return Optional.empty();
	}

	private record SessionKey(McpOwner owner, UUID connectionId) {
	}

	private static final class Session {

		final McpSyncClient client;

		final TokenSource tokens;

		Session(McpSyncClient client, TokenSource tokens) {
			this.client = client;
			this.tokens = tokens;
		}

		void close() {
			try {
				this.client.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing an MCP session failed: {}", ex.getClass().getSimpleName());
			}
		}

	}

	/** The token of one session; refreshed in place on a 401. */
	private final class TokenSource {

		final McpOwner owner;

		final UUID connectionId;

		volatile String accessToken;

		volatile RuntimeException failure;

		TokenSource(McpOwner owner, UUID connectionId, String accessToken) {
			this.owner = owner;
			this.connectionId = connectionId;
			this.accessToken = accessToken;
		}

		boolean onDenied(io.modelcontextprotocol.client.transport.HttpRequestSnapshot request,
				java.net.http.HttpResponse.ResponseInfo response,
				io.modelcontextprotocol.common.McpTransportContext context) {
			if (response.statusCode() != 401 || this.accessToken == null) {
				return false;
			}
			try {
				ConnectionCredentials fresh = McpToolExecutor.this.authorization.refresh(this.owner, this.connectionId,
						this.accessToken);
				this.accessToken = fresh.accessToken();
				return true;
			}
			catch (RuntimeException ex) {
				this.failure = ex;
				return false;
			}
		}

	}

}
