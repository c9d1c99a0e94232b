package dev.mcpconnector.execution;

import dev.mcpconnector.McpConnectorErrorCode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.policy.ToolDecision;
import dev.mcpconnector.policy.ToolDeniedException;
import dev.mcpconnector.policy.ToolPolicyRequest;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressHttpClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.DefaultSseMessageEndpointValidator;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.InvalidSseMessageEndpointException;
import io.modelcontextprotocol.client.transport.SseMessageEndpointValidator;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.Assert;

/**
 * Calls the tools, resources and prompts of a user's MCP connections through MCP Java SDK
 * sessions: one per (owner, connection), opened lazily, pooled (bounded, least recently used
 * closed first, idle ones closed), closed on revoke, delete and shutdown.
 * <p>
 * Each session's transport carries its own token, so every request it makes (including the
 * SDK's background ones) is authorized for that connection only; a warm call touches no
 * database. A 401 refreshes the token (one refresh per connection at a time) and replays once;
 * a grant that cannot be refreshed, or a 403 {@code insufficient_scope}, becomes an
 * {@link AuthorizationRequiredException}. A session the server forgot is re-initialized once,
 * transparently. Failures are typed: {@link McpExecutionException} for timeouts, server errors
 * and transport failures.
 * <p>
 * Every method takes the owner explicitly (for background jobs and {@code @Async} code);
 * {@link #forCurrentUser()} and {@link #forOwner(McpOwner)} return views bound to one owner.
 */
public class McpToolExecutor implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(McpToolExecutor.class);

	private final McpConnectionService connections;

	private final McpAuthorizationService authorization;

	private final EgressHttpClient http;

	private final McpClientSettings settings;

	private final McpGovernance governance;

	private final OwnerResolver ownerResolver;

	private final Executor asyncExecutor;

	private final ExecutorService ownedAsyncExecutor;

	private final ScheduledExecutorService sweeper;

	/** How the SDK's Streamable HTTP transport reports a POST refused with 400, 404 or 405. */
	private static final java.util.regex.Pattern STREAMABLE_REFUSED = java.util.regex.Pattern
		.compile("(Server Not Found\\. Status code:404|Bad Request\\. Status code:400"
				+ "|Received unexpected status code: 405)\\b");

	/** How the SDK's HTTP+SSE transport reports a 401 on the stream or on a message. */
	private static final java.util.regex.Pattern SSE_UNAUTHORIZED = java.util.regex.Pattern
		.compile("(Sending message failed with a non-OK HTTP code: 401|Failed to connect to SSE stream: 401)\\b");

	private final ConcurrentMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();

	/** One worker pool for every session's HTTP client, instead of a pool per session. */
	private final ExecutorService httpExecutor = Executors.newCachedThreadPool(daemon("mcp-http-"));

	private final ConcurrentMap<SessionKey, Object> opening = new ConcurrentHashMap<>();

	public McpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
			EgressHttpClient http, McpClientSettings settings) {
		this(connections, authorization, http, settings, null, null);
	}

	/**
	 * @param connections the connections
	 * @param authorization refresh and step-up
	 * @param http the egress client: every server URL is checked against its policy and every
	 * session connects through its tunnel
	 * @param settings session settings
	 * @param ownerResolver resolves the current user for {@link #forCurrentUser()}, or
	 * {@code null}
	 * @param asyncExecutor runs the asynchronous methods, or {@code null} for a bounded pool of
	 * this executor's own
	 */
	public McpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
			EgressHttpClient http, McpClientSettings settings, OwnerResolver ownerResolver, Executor asyncExecutor) {
		this(connections, authorization, http, settings, ownerResolver, asyncExecutor, McpGovernance.none());
	}

	/**
	 * @param connections the connections
	 * @param authorization refresh and step-up
	 * @param http the egress client: every server URL is checked against its policy and every
	 * session connects through its tunnel
	 * @param settings session settings
	 * @param ownerResolver resolves the current user for {@link #forCurrentUser()}, or
	 * {@code null}
	 * @param asyncExecutor runs the asynchronous methods, or {@code null} for a bounded pool of
	 * this executor's own
	 * @param governance tool policy, approvals, audit and interceptors
	 */
	public McpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
			EgressHttpClient http, McpClientSettings settings, OwnerResolver ownerResolver, Executor asyncExecutor,
			McpGovernance governance) {
		Assert.notNull(governance, "governance cannot be null");
		this.governance = governance;
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(authorization, "authorization cannot be null");
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		this.connections = connections;
		this.authorization = authorization;
		this.http = http;
		this.settings = settings;
		this.ownerResolver = ownerResolver;
		if (asyncExecutor != null) {
			this.asyncExecutor = asyncExecutor;
			this.ownedAsyncExecutor = null;
		}
		else {
			this.ownedAsyncExecutor = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4),
					daemon("mcp-executor-"));
			this.asyncExecutor = this.ownedAsyncExecutor;
		}
		this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("mcp-session-sweeper-"));
		long period = Math.max(1000, Math.min(60_000, settings.idleTimeout().toMillis() / 2));
		this.sweeper.scheduleAtFixedRate(this::closeIdleSessions, period, period, TimeUnit.MILLISECONDS);
	}

	// ---------------------------------------------------------------- views

	/**
	 * The operations of the user of the current request, resolved now (not at call time), so the
	 * view may be handed to other threads.
	 * @return the bound view
	 */
	public McpUserTools forCurrentUser() {
		Assert.state(this.ownerResolver != null, "No OwnerResolver is configured");
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
			throw new AuthenticationRequiredException();
		}
		return forOwner(this.ownerResolver.resolve(authentication));
	}

	/**
	 * The operations of one owner.
	 * @param owner the owner
	 * @return the bound view
	 */
	public McpUserTools forOwner(McpOwner owner) {
		return new McpUserTools(this, owner);
	}

	// ---------------------------------------------------------------- tools

	/**
	 * Every tool of the owner's active connections, each with a name unique across them
	 * ({@code <connection>__<tool>}). Connections that need authorization or do not answer are
	 * skipped (and logged).
	 * @param owner the owner
	 * @return the tools
	 */
	public List<McpToolDescriptor> tools(McpOwner owner) {
		List<McpToolDescriptor> all = new ArrayList<>();
		Map<String, Integer> prefixes = new HashMap<>();
		for (McpConnection connection : this.connections.list(owner)) {
			if (connection.status() != ConnectionStatus.ACTIVE) {
				continue;
			}
			List<McpSchema.Tool> tools;
			try {
				tools = listTools(owner, connection.id());
			}
			catch (McpConnectorException ex) {
				logger.info("Skipping the tools of connection {}: {}", connection.id(), ex.getMessage());
				continue;
			}
			String prefix = slug(connection.name());
			int seen = prefixes.merge(prefix, 1, Integer::sum);
			if (seen > 1) {
				prefix = prefix + "_" + connection.id().toString().substring(0, 8);
			}
			for (McpSchema.Tool tool : tools) {
				all.add(new McpToolDescriptor(connection.id(), connection.name(), prefix + "__" + tool.name(), tool));
			}
		}
		return all;
	}

	/**
	 * The tools of one connection, from the session's cache (refreshed when the server
	 * announces {@code notifications/tools/list_changed}).
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the tools, every page
	 */
	public List<McpSchema.Tool> listTools(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing tools", (session) -> allTools(session).stream()
			.filter((tool) -> decide(owner, connectionId, session, tool.name(), tool) != ToolDecision.DENY)
			.toList());
	}

	private static List<McpSchema.Tool> allTools(Session session) {
		List<McpSchema.Tool> cached = session.tools;
		if (cached != null) {
			return cached;
		}
		List<McpSchema.Tool> tools = List.copyOf(session.client.listTools().tools());
		session.tools = tools;
		return tools;
	}

	private ToolDecision decide(McpOwner owner, UUID connectionId, Session session, String toolName,
			McpSchema.Tool tool) {
		ToolDecision decision = this.governance.policy()
			.decide(new ToolPolicyRequest(owner, connectionId, session.connectionName, session.serverHost, toolName,
					tool));
		return (decision != null) ? decision : ToolDecision.DENY;
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
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		Assert.hasText(tool, "tool cannot be empty");
		Map<String, Object> args = (arguments != null) ? arguments : Map.of();
		long start = System.nanoTime();
		Session session = session(owner, connectionId);
		ToolCallContext call = null;
		String decision = ToolDecision.ALLOW.label();
		String outcome = "failed";
		String errorCode = null;
		try {
			// The definition costs a tools/list round trip on a session's first call; skip it when
			// no policy or interceptor reads it (a warm session has it cached anyway).
			List<McpSchema.Tool> known = session.tools;
			McpSchema.Tool described = (known == null && !this.governance.needsToolDefinition()) ? null
					: execute(owner, connectionId, "Listing tools",
							(s) -> allTools(s).stream().filter((t) -> t.name().equals(tool)).findFirst().orElse(null));
			call = new ToolCallContext(owner, connectionId, tool, described, args);
			ToolDecision decided = decide(owner, connectionId, session, tool, described);
			decision = decided.label();
			if (decided == ToolDecision.DENY) {
				throw new ToolDeniedException(tool);
			}
			for (ToolCallInterceptor interceptor : this.governance.interceptors()) {
				interceptor.before(call);
			}
			if (decided == ToolDecision.REQUIRE_APPROVAL) {
				if (this.governance.approvals() == null) {
					throw new ToolDeniedException(tool);
				}
				this.governance.approvals().requireApproval(owner, connectionId, tool, args);
			}
			McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, args);
			McpSchema.CallToolResult result = execute(owner, connectionId, "Calling tool " + tool,
					(s) -> s.client.callTool(request));
			outcome = Boolean.TRUE.equals(result.isError()) ? "tool-error" : "ok";
			return result;
		}
		catch (McpConnectorException ex) {
			errorCode = ex.errorCode();
			outcome = switch (ex.error()) {
				case TOOL_DENIED -> "denied";
				case APPROVAL_PENDING -> "approval-pending";
				case APPROVAL_DENIED -> "approval-denied";
				case RATE_LIMITED -> "rate-limited";
				default -> "failed";
			};
			throw ex;
		}
		finally {
			Duration latency = Duration.ofNanos(System.nanoTime() - start);
			ToolCallOutcome result = new ToolCallOutcome(outcome, decision, errorCode, latency);
			ToolCallContext observed = (call != null) ? call : new ToolCallContext(owner, connectionId, tool, null, args);
			for (ToolCallInterceptor interceptor : this.governance.interceptors()) {
				try {
					interceptor.after(observed, result);
				}
				catch (RuntimeException ex) {
					logger.warn("A tool call interceptor failed: {}", ex.getClass().getSimpleName());
				}
			}
			this.governance.audit()
				.record(new AuditEvent(java.time.Instant.now(), owner, AuditEvent.Type.TOOL_CALL, connectionId, tool,
						outcome, decision, latency.toMillis(), errorCode, null));
		}
	}

	/**
	 * Call a tool with arguments as a JSON object.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param tool the tool name
	 * @param jsonArguments a JSON object
	 * @return the result
	 */
	public McpSchema.CallToolResult callTool(McpOwner owner, UUID connectionId, String tool, String jsonArguments) {
		Map<String, Object> arguments;
		try {
			arguments = (jsonArguments == null || jsonArguments.isBlank()) ? Map.of()
					: McpJsonDefaults.getMapper().readValue(jsonArguments, new io.modelcontextprotocol.json.TypeRef<>() {
					});
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new McpExecutionException(McpConnectorErrorCode.INVALID_TOOL_ARGUMENTS, connectionId, null,
					"The arguments are not a JSON object", null);
		}
		return callTool(owner, connectionId, tool, arguments);
	}

	/**
	 * Call a tool by its qualified name from {@link #tools(McpOwner)}.
	 * @param owner the owner
	 * @param qualifiedName the qualified name
	 * @param arguments the arguments
	 * @return the result
	 */
	public McpSchema.CallToolResult callTool(McpOwner owner, String qualifiedName, Map<String, Object> arguments) {
		McpToolDescriptor descriptor = tools(owner).stream()
			.filter((t) -> t.qualifiedName().equals(qualifiedName))
			.findFirst()
			.orElseThrow(() -> new McpExecutionException(McpConnectorErrorCode.TOOL_NOT_FOUND, null, null, "No such tool", null));
		return callTool(owner, descriptor.connectionId(), descriptor.name(), arguments);
	}

	/**
	 * Check a connection now: ping its server through a session, count its tools, and update
	 * its status: {@code UNREACHABLE} when the server does not answer, {@code ACTIVE} again when
	 * it answers after having been unreachable.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return what the check found
	 */
	public ConnectionCheck check(McpOwner owner, UUID connectionId) {
		McpConnection connection = this.connections.get(owner, connectionId);
		long start = System.nanoTime();
		try {
			int tools = execute(owner, connectionId, "Checking the connection", (session) -> {
				session.client.ping();
				return allTools(session).size();
			});
			ConnectionStatus status = connection.status();
			if (status == ConnectionStatus.UNREACHABLE) {
				status = this.connections.updateStatus(owner, connectionId, ConnectionStatus.ACTIVE).status();
			}
			return new ConnectionCheck(connectionId, status, true, true, tools, millisSince(start), null);
		}
		catch (AuthorizationRequiredException ex) {
			return new ConnectionCheck(connectionId, this.connections.get(owner, connectionId).status(), true, false, -1,
					millisSince(start), ex.errorCode());
		}
		catch (McpExecutionException ex) {
			if (ex.isTimeout() || ex.error() == McpConnectorErrorCode.UPSTREAM_UNREACHABLE) {
				close(owner, connectionId);
				ConnectionStatus status = this.connections
					.updateStatus(owner, connectionId, ConnectionStatus.UNREACHABLE)
					.status();
				return new ConnectionCheck(connectionId, status, false, false, -1, millisSince(start), ex.errorCode());
			}
			return new ConnectionCheck(connectionId, connection.status(), true, true, -1, millisSince(start),
					ex.errorCode());
		}
	}

	private static long millisSince(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	// ---------------------------------------------------------------- resources and prompts

	public List<McpSchema.Resource> listResources(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing resources", (session) -> session.client.listResources().resources());
	}

	public List<McpSchema.ResourceTemplate> listResourceTemplates(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing resource templates",
				(session) -> session.client.listResourceTemplates().resourceTemplates());
	}

	public McpSchema.ReadResourceResult readResource(McpOwner owner, UUID connectionId, String uri) {
		Assert.hasText(uri, "uri cannot be empty");
		return execute(owner, connectionId, "Reading a resource",
				(session) -> session.client.readResource(new McpSchema.ReadResourceRequest(uri)));
	}

	public List<McpSchema.Prompt> listPrompts(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing prompts", (session) -> session.client.listPrompts().prompts());
	}

	public McpSchema.GetPromptResult getPrompt(McpOwner owner, UUID connectionId, String name,
			Map<String, Object> arguments) {
		Assert.hasText(name, "name cannot be empty");
		return execute(owner, connectionId, "Getting prompt " + name, (session) -> session.client
			.getPrompt(new McpSchema.GetPromptRequest(name, (arguments != null) ? arguments : Map.of())));
	}

	// ---------------------------------------------------------------- asynchronous

	public CompletableFuture<McpSchema.CallToolResult> callToolAsync(McpOwner owner, UUID connectionId, String tool,
			Map<String, Object> arguments) {
		return async(() -> callTool(owner, connectionId, tool, arguments));
	}

	public CompletableFuture<List<McpSchema.Tool>> listToolsAsync(McpOwner owner, UUID connectionId) {
		return async(() -> listTools(owner, connectionId));
	}

	public CompletableFuture<List<McpToolDescriptor>> toolsAsync(McpOwner owner) {
		return async(() -> tools(owner));
	}

	<T> CompletableFuture<T> async(Supplier<T> work) {
		return CompletableFuture.supplyAsync(work, this.asyncExecutor);
	}

	// ---------------------------------------------------------------- pool

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

	/** How many sessions are open. */
	/**
	 * Check a connection nobody is using on this instance, for a scheduled job: skipped (empty)
	 * when a session of it is pooled, which means it is in use. A session the check opens is
	 * closed again afterwards, unless a caller started using it meanwhile.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return what the check found, or empty when the connection is in use
	 */
	public Optional<ConnectionCheck> checkIdle(McpOwner owner, UUID connectionId) {
		SessionKey key = new SessionKey(owner, connectionId);
		if (this.sessions.containsKey(key)) {
			return Optional.empty();
		}
		ConnectionCheck check = check(owner, connectionId);
		Session opened = this.sessions.get(key);
		// Only the session this check opened, and only if no caller has used it since.
		if (opened != null && opened.uses == 1 && this.sessions.remove(key, opened)) {
			opened.close();
		}
		return Optional.of(check);
	}

	/**
	 * Whether this executor holds an open session of a connection now (it was used lately).
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return whether a session is pooled
	 */
	public boolean hasSession(McpOwner owner, UUID connectionId) {
		return this.sessions.containsKey(new SessionKey(owner, connectionId));
	}

	public int sessionCount() {
		return this.sessions.size();
	}

	@Override
	public void destroy() {
		this.sweeper.shutdownNow();
		if (this.ownedAsyncExecutor != null) {
			this.ownedAsyncExecutor.shutdownNow();
		}
		this.sessions.values().forEach(Session::close);
		this.sessions.clear();
		this.httpExecutor.shutdown();
	}

	void closeIdleSessions() {
		long cutoff = System.nanoTime() - this.settings.idleTimeout().toNanos();
		this.sessions.forEach((key, session) -> {
			if (session.lastUsed < cutoff && this.sessions.remove(key, session)) {
				logger.debug("Closing idle session of connection {}", key.connectionId());
				session.close();
			}
		});
	}

	private void evictBeyondLimit() {
		while (this.sessions.size() > this.settings.maxSessions()) {
			Map.Entry<SessionKey, Session> oldest = null;
			for (Map.Entry<SessionKey, Session> entry : this.sessions.entrySet()) {
				if (oldest == null || entry.getValue().lastUsed < oldest.getValue().lastUsed) {
					oldest = entry;
				}
			}
			if (oldest == null) {
				return;
			}
			if (this.sessions.remove(oldest.getKey(), oldest.getValue())) {
				oldest.getValue().close();
			}
		}
	}

	// ---------------------------------------------------------------- execution

	private <T> T execute(McpOwner owner, UUID connectionId, String what, Function<Session, T> operation) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		for (int attempt = 0;; attempt++) {
			Session session = session(owner, connectionId);
			session.lastUsed = System.nanoTime();
			session.uses++;
			try {
				return operation.apply(session);
			}
			catch (RuntimeException ex) {
				Optional<McpHttpClientTransportAuthorizationException> denied = causeOf(ex,
						McpHttpClientTransportAuthorizationException.class);
				if (denied.isPresent()) {
					discard(owner, connectionId, session);
					throw authorizationFailure(owner, connectionId, session, denied.get());
				}
				if (attempt == 0 && isSessionLost(ex)) {
					logger.debug("Session of connection {} was lost; opening a new one", connectionId);
					discard(owner, connectionId, session);
					continue;
				}
				if (attempt == 0 && session.transport == McpTransport.STREAMABLE_HTTP && !session.client.isInitialized()
						&& speaksLegacySse(owner, connectionId, session, ex)) {
					logger.info("Connection {} reaches a server that speaks the HTTP+SSE transport of MCP 2024-11-05;"
							+ " using it from now on", connectionId);
					discard(owner, connectionId, session);
					this.connections.updateTransport(owner, connectionId, McpTransport.SSE);
					continue;
				}
				if (session.transport == McpTransport.SSE && transportFailure(ex, SSE_UNAUTHORIZED)) {
					// The SSE transport has no hook to refresh and replay: refresh, then a new session.
					discard(owner, connectionId, session);
					if (attempt > 0 || session.tokens.accessToken == null) {
						throw authorizationRequired(owner, connectionId, session, 401, null);
					}
					this.authorization.refresh(owner, connectionId, session.tokens.accessToken);
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
		BearerChallenge challenge = BearerChallenge
			.parse(denied.getResponseInfo().headers().allValues("WWW-Authenticate"))
			.orElse(null);
		if (status == 403 && challenge != null && challenge.isInsufficientScope()) {
			return this.authorization.stepUpRequired(owner, connectionId, challenge);
		}
		return authorizationRequired(owner, connectionId, session, status, challenge);
	}

	private RuntimeException authorizationRequired(McpOwner owner, UUID connectionId, Session session, int status,
			BearerChallenge challenge) {
		ConnectionStatus next = (session.tokens.accessToken != null) ? ConnectionStatus.REAUTHORIZATION_REQUIRED
				: ConnectionStatus.AUTHORIZATION_REQUIRED;
		this.connections.updateStatus(owner, connectionId, next);
		return new AuthorizationRequiredException(connectionId, null, false, challenge,
				"The server requires authorization (HTTP " + status + ")");
	}

	/**
	 * Whether a Streamable HTTP session failed because the server refused the POST with 400,
	 * 404 or 405 and opens an HTTP+SSE event stream on GET instead (the backwards-compatibility
	 * rule of the MCP transports). Only the stream's status and headers are read.
	 */
	private boolean speaksLegacySse(McpOwner owner, UUID connectionId, Session session, RuntimeException ex) {
		if (!transportFailure(ex, STREAMABLE_REFUSED)) {
			return false;
		}
		return sseStream(this.connections.get(owner, connectionId).serverUrl(), session.tokens.accessToken)
			.map(dev.mcpconnector.egress.EgressResponse::isEventStream)
			.orElse(false);
	}

	/**
	 * Open a server's HTTP+SSE event stream with a token and read only its status and headers.
	 * @return the answer, or empty when the server could not be reached
	 */
	private Optional<dev.mcpconnector.egress.EgressResponse> sseStream(URI serverUrl, String accessToken) {
		Map<String, String> headers = new HashMap<>();
		headers.put("Accept", "text/event-stream");
		if (accessToken != null) {
			headers.put("Authorization", "Bearer " + accessToken);
		}
		try {
			return Optional.of(this.http.getHeaders(serverUrl, headers));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Whether a transport (not the server's JSON-RPC answer, whose text the server chooses)
	 * failed with a message of the MCP SDK's that matches: the SDK reports HTTP statuses only in
	 * its messages.
	 */
	private static boolean transportFailure(Throwable ex, java.util.regex.Pattern message) {
		if (causeOf(ex, McpError.class).isPresent()) {
			return false;
		}
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.modelcontextprotocol.spec.McpTransportException && t.getMessage() != null
					&& message.matcher(t.getMessage()).lookingAt()) {
				return true;
			}
		}
		return false;
	}

	private static RuntimeException translate(UUID connectionId, String what, RuntimeException ex) {
		if (ex instanceof McpConnectorException typed) {
			return typed;
		}
		Optional<McpConnectorException> wrapped = causeOf(ex, McpConnectorException.class);
		if (wrapped.isPresent()) {
			return wrapped.get();
		}
		Optional<McpError> rpc = causeOf(ex, McpError.class);
		if (rpc.isPresent() && rpc.get().getJsonRpcError() != null) {
			McpSchema.JSONRPCResponse.JSONRPCError error = rpc.get().getJsonRpcError();
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, error.code(),
					what + " failed: the server answered " + error.code() + " " + Objects.toString(error.message(), ""),
					null);
		}
		if (causeOf(ex, TimeoutException.class).isPresent()) {
			return McpExecutionException.timeout(connectionId, what);
		}
		if (ex instanceof IllegalStateException && ex.getMessage() != null
				&& ex.getMessage().contains("does not provide")) {
			return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, connectionId, null, what + " failed: " + ex.getMessage(),
					null);
		}
		return new McpExecutionException(McpConnectorErrorCode.UPSTREAM_UNREACHABLE, connectionId, null,
				what + " failed: " + ex.getClass().getSimpleName(), null);
	}

	private static boolean isSessionLost(RuntimeException ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.modelcontextprotocol.spec.McpTransportSessionNotFoundException
					|| t instanceof java.net.ConnectException
					|| (t.getMessage() != null && (t.getMessage().contains("MCP session with server terminated")
							|| t.getMessage().contains("Connection refused")
							|| t.getMessage().contains("Connection reset")))) {
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
		// One caller opens the session of a key; concurrent callers wait for it instead of each
		// reading the database and building a client of their own.
		Object lock = this.opening.computeIfAbsent(key, (k) -> new Object());
		try {
			synchronized (lock) {
				return openSession(key, owner, connectionId);
			}
		}
		finally {
			this.opening.remove(key, lock);
		}
	}

	private Session openSession(SessionKey key, McpOwner owner, UUID connectionId) {
		{
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
			this.sessions.put(key, created);
			evictBeyondLimit();
			return created;
		}
	}

	private Session open(McpOwner owner, McpConnection connection, ConnectionCredentials credentials) {
		URI url = connection.serverUrl();
		this.http.policy().check(url);
		TokenSource tokens = new TokenSource(owner, connection.id(),
				(credentials != null) ? credentials.accessToken() : null);
		Duration connectTimeout = (connection.limits().connectTimeout() != null) ? connection.limits().connectTimeout()
				: this.settings.connectTimeout();
		int maxResponseBytes = (connection.limits().maxResponseBytes() != null)
				? connection.limits().maxResponseBytes().intValue() : this.settings.maxResponseBytes();
		String path = (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
		if (url.getRawQuery() != null) {
			path = path + "?" + url.getRawQuery();
		}
		java.net.http.HttpClient.Builder client = this.http.newHttpClientBuilder(connectTimeout)
			.executor(this.httpExecutor);
		McpSyncHttpClientRequestCustomizer bearer = (builder, method, uri, body, context) -> {
			String token = tokens.accessToken;
			if (token != null) {
				builder.setHeader("Authorization", "Bearer " + token);
			}
		};
		McpClientTransport transport;
		if (connection.transport() == McpTransport.SSE) {
			preflightSse(owner, connection, tokens);
			transport = HttpClientSseClientTransport.builder(url.getScheme() + "://" + url.getRawAuthority())
				.sseEndpoint(path)
				.clientBuilder(client)
				.connectTimeout(connectTimeout)
				.addHttpRequestCustomizer(bearer)
				.messageEndpointValidator(messageEndpointValidator(url))
				.maxResponseSize(maxResponseBytes)
				.build();
		}
		else {
			transport = HttpClientStreamableHttpTransport.builder(url.getScheme() + "://" + url.getRawAuthority())
				.endpoint(path)
				.clientBuilder(client)
				.connectTimeout(connectTimeout)
				.addHttpRequestCustomizer(bearer)
				.authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(tokens::onDenied))
				.maxResponseSize(maxResponseBytes)
				.build();
		}
		Session session = new Session(tokens, connection.name(), url.getHost(), connection.transport());
		Duration timeout = (connection.requestTimeout() != null) ? connection.requestTimeout()
				: this.settings.requestTimeout();
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation(this.settings.clientName(), this.settings.clientVersion()))
			.requestTimeout(timeout)
			.initializationTimeout(timeout)
			.toolsChangeConsumer((tools) -> session.tools = List.copyOf(tools));
		if (this.settings.elicitation() != null) {
			spec.elicitation(this.settings.elicitation()).applyElicitationDefaults(true);
		}
		session.client = spec.build();
		return session;
	}

	/**
	 * The SDK's HTTP+SSE transport waits for the stream's {@code endpoint} event until the
	 * request times out when the server refuses the stream itself, so ask first (status and
	 * headers only): a 401 is refreshed once, and a second one needs the user.
	 */
	private void preflightSse(McpOwner owner, McpConnection connection, TokenSource tokens) {
		for (int attempt = 0;; attempt++) {
			// Unreachable or another status: the transport reports what is wrong with the server.
			if (sseStream(connection.serverUrl(), tokens.accessToken).filter((r) -> r.status() == 401).isEmpty()) {
				return;
			}
			if (attempt > 0 || tokens.accessToken == null) {
				this.connections.updateStatus(owner, connection.id(), (tokens.accessToken != null)
						? ConnectionStatus.REAUTHORIZATION_REQUIRED : ConnectionStatus.AUTHORIZATION_REQUIRED);
				throw new AuthorizationRequiredException(connection.id(), null, false,
						"The server requires authorization (HTTP 401)");
			}
			tokens.accessToken = this.authorization.refresh(owner, connection.id(), tokens.accessToken).accessToken();
		}
	}

	/**
	 * The HTTP+SSE transport POSTs to whatever URL the server's {@code endpoint} event names: it
	 * must stay on the server's origin and pass the egress policy, or the session never starts.
	 */
	private SseMessageEndpointValidator messageEndpointValidator(URI serverUrl) {
		SseMessageEndpointValidator sameOrigin = new DefaultSseMessageEndpointValidator();
		return (baseUri, endpoint) -> {
			sameOrigin.validate(baseUri, endpoint);
			URI target;
			try {
				target = serverUrl.resolve(endpoint);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSseMessageEndpointException("The server named a malformed message endpoint", "");
			}
			if (!Objects.equals(target.getScheme(), serverUrl.getScheme())
					|| !Objects.equals(target.getRawAuthority(), serverUrl.getRawAuthority())) {
				throw new InvalidSseMessageEndpointException("The server named a message endpoint on another origin", "");
			}
			try {
				this.http.policy().check(target);
			}
			catch (RuntimeException ex) {
				throw new InvalidSseMessageEndpointException("The server named a message endpoint the egress policy refuses",
						"");
			}
		};
	}

	static String slug(String name) {
		String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
		if (slug.isEmpty()) {
			slug = "server";
		}
		return (slug.length() > 32) ? slug.substring(0, 32) : slug;
	}

	private static <T extends Throwable> Optional<T> causeOf(Throwable ex, Class<T> type) {
		int depth = 0;
		for (Throwable t = ex; t != null && depth < 32; t = t.getCause(), depth++) {
			if (type.isInstance(t)) {
				return Optional.of(type.cast(t));
			}
		}
		return Optional.empty();
	}

	private static java.util.concurrent.ThreadFactory daemon(String prefix) {
		java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record SessionKey(McpOwner owner, UUID connectionId) {
	}

	private static final class Session {

		volatile McpSyncClient client;

		final TokenSource tokens;

		volatile List<McpSchema.Tool> tools;

		volatile long lastUsed = System.nanoTime();

		/**
		 * Operations run on this session (a hint, not exact under concurrency): 1 after a
		 * connection check that opened it, more once a caller used it too.
		 */
		volatile int uses;

		final String connectionName;

		final String serverHost;

		final McpTransport transport;

		Session(TokenSource tokens, String connectionName, String serverHost, McpTransport transport) {
			this.tokens = tokens;
			this.connectionName = connectionName;
			this.serverHost = serverHost;
			this.transport = transport;
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
			// The token the refused request carried, not the one the session holds now: another
			// call may have refreshed already, and then a retry with the new token is enough.
			String sent = request.headers()
				.firstValue("Authorization")
				.filter((value) -> value.regionMatches(true, 0, "Bearer ", 0, 7))
				.map((value) -> value.substring(7))
				.orElse(this.accessToken);
			if (!sent.equals(this.accessToken)) {
				return true;
			}
			try {
				ConnectionCredentials fresh = McpToolExecutor.this.authorization.refresh(this.owner, this.connectionId,
						sent);
				this.accessToken = fresh.accessToken();
				return true;
			}
			catch (RuntimeException ex) {
				this.failure = ex;
				return false;
			}
		}

	}

	/** Thrown by {@link #forCurrentUser()} outside an authenticated request. */
	public static class AuthenticationRequiredException extends McpConnectorException {

		public AuthenticationRequiredException() {
			super(McpConnectorErrorCode.UNAUTHENTICATED, "An authenticated user is required");
		}

	}

}
