package dev.mcpconnector.execution;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.ai.ToolNameMapper;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionDeletedEvent;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.egress.EgressHttpClient;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.Assert;

/**
 * Calls the tools, resources and prompts of a user's MCP connections through MCP Java SDK
 * sessions: one per (owner, connection), opened lazily, pooled (bounded, least recently used
 * closed first, idle ones closed), closed when the connection is deleted
 * ({@link McpConnectionDeletedEvent}) and on shutdown.
 * <p>
 * Each session's transport carries its own token; a warm call touches no database. A 401
 * refreshes the token (one refresh per connection at a time) and replays once; a dead grant or
 * a 403 {@code insufficient_scope} becomes an {@link AuthorizationRequiredException}. A session
 * the server forgot is re-initialized once. Failures are {@link McpConnectorException}s whose {@link McpConnectorErrorCode} says what went wrong.
 * Tool calls run through the ordered {@link ToolCallInterceptor}s.
 * <p>
 * Every method takes the owner explicitly (for background jobs and {@code @Async} code);
 * {@link #forCurrentUser()} and {@link #forOwner(McpOwner)} return views bound to one owner.
 */
public class McpToolExecutor
		implements SmartLifecycle, DisposableBean, ApplicationListener<McpConnectionDeletedEvent> {

	private final OwnerResolver ownerResolver;

	private final Executor asyncExecutor;

	private final ExecutorService ownedAsyncExecutor;

	private final McpSessionFactory sessionFactory;

	private final SessionPool pool;

	private final SessionRunner runner;

	private final ToolCalls tools;

	private final ConnectionChecker checker;

	/**
	 * An executor with no governance (every tool allowed, nothing audited), no current-user
	 * resolution and an asynchronous pool of its own; {@link #builder} configures the rest.
	 * @param connections the connections
	 * @param authorization refresh and step-up
	 * @param http the egress client: every server URL is checked against its policy and every
	 * session connects through its tunnel
	 * @param settings session settings
	 */
	public McpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
			EgressHttpClient http, McpClientSettings settings) {
		this(builder(connections, authorization, http, settings));
	}

	private McpToolExecutor(Builder builder) {
		this.ownerResolver = builder.ownerResolver;
		if (builder.asyncExecutor != null) {
			this.asyncExecutor = builder.asyncExecutor;
			this.ownedAsyncExecutor = null;
		}
		else {
			this.ownedAsyncExecutor = Executors.newFixedThreadPool(
					Math.max(4, Runtime.getRuntime().availableProcessors() * 4), Threads.daemon("mcp-executor-"));
			this.asyncExecutor = this.ownedAsyncExecutor;
		}
		SessionAuthorization authorization = SessionAuthorization.of(builder.authorization);
		LegacySseDetector legacySse = new LegacySseDetector(builder.http);
		this.sessionFactory = new McpSessionFactory(builder.connections, authorization, builder.http, builder.settings,
				List.of(new StreamableHttpTransportFactory(),
						new LegacySseTransportFactory(builder.connections, legacySse, builder.http.policy())));
		this.pool = new SessionPool(builder.settings, this.sessionFactory::open);
		this.runner = new SessionRunner(this.pool, builder.connections, authorization, new SdkExceptionTranslator(),
				legacySse);
		this.tools = new ToolCalls(builder.connections, this.runner, new ToolCallPipeline(builder.interceptors));
		this.checker = new ConnectionChecker(builder.connections, this.pool, this.runner);
	}

	/** A builder of an executor, with the same four parts as the constructor. */
	public static Builder builder(McpConnectionService connections, McpAuthorizationService authorization,
			EgressHttpClient http, McpClientSettings settings) {
		return new Builder(connections, authorization, http, settings);
	}


	/**
	 * The operations of the user of the current request, resolved now (not at call time), so the
	 * view may be handed to other threads.
	 * @return the bound view
	 */
	public McpUserTools forCurrentUser() {
		Assert.state(this.ownerResolver != null, "No OwnerResolver is configured");
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
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


	/**
	 * Every tool of the owner's active connections, each with a name unique across them from
	 * {@link ToolNameMapper} ({@code <connection>__<tool>}, the names Spring AI and the gateway
	 * expose). Connections that need authorization or do not answer are skipped (and logged).
	 * @param owner the owner
	 * @return the tools
	 */
	public List<McpToolDescriptor> tools(McpOwner owner) {
		return this.tools.tools(owner);
	}

	/**
	 * The tools of one connection the interceptors let the owner see, from the session's cache
	 * (refreshed when the server announces {@code notifications/tools/list_changed}).
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the tools, every page
	 */
	public List<McpSchema.Tool> listTools(McpOwner owner, UUID connectionId) {
		return this.tools.listTools(owner, connectionId);
	}

	/**
	 * Call a tool through the {@link ToolCallInterceptor}s.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @param tool the tool name
	 * @param arguments the arguments
	 * @return the result; a tool-level failure is a result with {@code isError}
	 */
	public McpSchema.CallToolResult callTool(McpOwner owner, UUID connectionId, String tool,
			Map<String, Object> arguments) {
		return this.tools.callTool(owner, connectionId, tool, arguments);
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
		return this.tools.callTool(owner, connectionId, tool, jsonArguments);
	}

	/**
	 * Call a tool by its qualified name from {@link #tools(McpOwner)}.
	 * @param owner the owner
	 * @param qualifiedName the qualified name
	 * @param arguments the arguments
	 * @return the result
	 */
	public McpSchema.CallToolResult callTool(McpOwner owner, String qualifiedName, Map<String, Object> arguments) {
		return this.tools.callTool(owner, qualifiedName, arguments);
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
		return this.checker.check(owner, connectionId);
	}

	/**
	 * Check a connection nobody is using on this instance, for a scheduled job: skipped (empty)
	 * when a session of it is pooled, which means it is in use. A session the check opens is
	 * closed again afterwards, unless a caller started using it meanwhile.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return what the check found, or empty when the connection is in use
	 */
	public Optional<ConnectionCheck> checkIdle(McpOwner owner, UUID connectionId) {
		return this.checker.checkIdle(owner, connectionId);
	}


	public List<McpSchema.Resource> listResources(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing resources", ServerFeatures::listResources);
	}

	public List<McpSchema.ResourceTemplate> listResourceTemplates(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing resource templates", ServerFeatures::listResourceTemplates);
	}

	public McpSchema.ReadResourceResult readResource(McpOwner owner, UUID connectionId, String uri) {
		Assert.hasText(uri, "uri cannot be empty");
		return execute(owner, connectionId, "Reading a resource", (s) -> ServerFeatures.readResource(s, uri));
	}

	public List<McpSchema.Prompt> listPrompts(McpOwner owner, UUID connectionId) {
		return execute(owner, connectionId, "Listing prompts", ServerFeatures::listPrompts);
	}

	public McpSchema.GetPromptResult getPrompt(McpOwner owner, UUID connectionId, String name,
			Map<String, Object> arguments) {
		Assert.hasText(name, "name cannot be empty");
		return execute(owner, connectionId, "Getting prompt " + name, (s) -> ServerFeatures.getPrompt(s, name, arguments));
	}


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

	private <T> T execute(McpOwner owner, UUID connectionId, String what, Function<McpSession, T> operation) {
		return this.runner.execute(owner, connectionId, what, operation);
	}

	/**
	 * Close and forget the session of a connection now; the next call opens a new one (with
	 * the stored token). Deleted connections are closed by their {@link McpConnectionDeletedEvent}.
	 * @param owner the owner
	 * @param connectionId the connection
	 */
	public void close(McpOwner owner, UUID connectionId) {
		this.pool.close(new McpSession.Key(owner, connectionId));
	}

	/** Closes the sessions of a deleted connection. */
	@Override
	public void onApplicationEvent(McpConnectionDeletedEvent event) {
		close(event.owner(), event.connectionId());
	}

	/**
	 * Whether this executor holds an open session of a connection now (it was used lately).
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return whether a session is pooled
	 */
	public boolean hasSession(McpOwner owner, UUID connectionId) {
		return this.pool.contains(new McpSession.Key(owner, connectionId));
	}

	/** How many sessions are open. */
	public int sessionCount() {
		return this.pool.size();
	}

	/** Start closing idle sessions in the background (no thread runs before). */
	@Override
	public void start() {
		this.pool.start();
	}

	/** Stop closing idle sessions and close every session. */
	@Override
	public void stop() {
		this.pool.stop();
	}

	@Override
	public boolean isRunning() {
		return this.pool.isRunning();
	}

	/** After the web server stops, before the audit log does: see {@link SessionPool#PHASE}. */
	@Override
	public int getPhase() {
		return SessionPool.PHASE;
	}

	/** Close every session and stop this executor's threads. */
	@Override
	public void destroy() {
		this.pool.stop();
		if (this.ownedAsyncExecutor != null) {
			this.ownedAsyncExecutor.shutdownNow();
		}
		this.sessionFactory.shutdown();
	}

	/** Thrown by {@link #forCurrentUser()} outside an authenticated request. */
	public static class AuthenticationRequiredException extends McpConnectorException {

		public AuthenticationRequiredException() {
			super(McpConnectorErrorCode.UNAUTHENTICATED, "An authenticated user is required");
		}

	}

	/** Configures an {@link McpToolExecutor}. */
	public static final class Builder {

		private final McpConnectionService connections;

		private final McpAuthorizationService authorization;

		private final EgressHttpClient http;

		private final McpClientSettings settings;

		private OwnerResolver ownerResolver;

		private Executor asyncExecutor;

		private List<ToolCallInterceptor> interceptors = List.of();

		private Builder(McpConnectionService connections, McpAuthorizationService authorization, EgressHttpClient http,
				McpClientSettings settings) {
			Assert.notNull(connections, "connections cannot be null");
			Assert.notNull(authorization, "authorization cannot be null");
			Assert.notNull(http, "http cannot be null");
			Assert.notNull(settings, "settings cannot be null");
			this.connections = connections;
			this.authorization = authorization;
			this.http = http;
			this.settings = settings;
		}

		/** The resolver of the current user for {@link #forCurrentUser()}; none by default. */
		public Builder ownerResolver(OwnerResolver ownerResolver) {
			this.ownerResolver = ownerResolver;
			return this;
		}

		/** What runs the asynchronous methods; a bounded pool of the executor's own by default. */
		public Builder asyncExecutor(Executor asyncExecutor) {
			this.asyncExecutor = asyncExecutor;
			return this;
		}

		/**
		 * @param interceptors run around every tool call in the given order (sorted already, as
		 * {@code ObjectProvider.orderedStream()} or {@code AnnotationAwareOrderComparator} sort);
		 * the auto-configuration's defaults are {@link ToolCallInterceptor#policy},
		 * {@link ToolCallInterceptor#approval} and {@link ToolCallInterceptor#audit}; none by
		 * default, so every tool is allowed and nothing audited
		 * @return this builder
		 */
		public Builder interceptors(List<? extends ToolCallInterceptor> interceptors) {
			Assert.notNull(interceptors, "interceptors cannot be null");
			this.interceptors = List.copyOf(interceptors);
			return this;
		}

		public McpToolExecutor build() {
			return new McpToolExecutor(this);
		}

	}

}
