package dev.mcpconnector.ai;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.McpConnectorErrorCode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.Assert;

/**
 * The gateway: one MCP server (Streamable HTTP, the MCP Java SDK's
 * {@link HttpServletStreamableServerTransportProvider}) that serves each authenticated user
 * the tools of the MCP servers <em>they</em> connected. {@code tools/list} answers with the
 * user's allowed tools under {@link ToolNameMapper} names;
 * {@code tools/call} runs through the {@link McpToolExecutor} for that user, so policies,
 * approvals, rate limits and the audit log apply, and a failure comes back as a tool result
 * with {@code isError} whose text is the JSON failure message ({@code {"error": "<code>",
 * "message": "..."}}) that Spring AI callbacks give a model too.
 * <p>
 * The servlet sits behind the host application's Spring Security filter chain, which decides
 * who may call it. The SDK server is one object shared by every user, so the user is never
 * kept in it: for every request this servlet resolves the owner from that request's
 * {@link Authentication} (through the {@link OwnerResolver}) and hands it to the SDK in the
 * request's {@link McpTransportContext}; the handlers read it from there. A request without an
 * authenticated user gets 401, and an MCP session is bound to the user who opened it: another
 * user presenting its id gets 404, as if it did not exist.
 */
public class McpGatewayServlet extends HttpServlet {

	private final transient HttpServletStreamableServerTransportProvider transport;

	private final transient OwnerResolver ownerResolver;

	private final transient AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	/** Who opened each MCP session. */
	private final transient Map<String, McpOwner> sessionOwners = new ConcurrentHashMap<>();

	/**
	 * @param executor runs the calls
	 * @param ownerResolver turns a request's authentication into an owner
	 * @param endpoint the path the servlet is mapped to, e.g. {@code /api/mcp/gateway/mcp}
	 * @param allowedOrigins browser origins allowed to call it; a request with any other
	 * {@code Origin} header is refused
	 * @param serverInfo name and version of the gateway in its initialize response
	 * @param requestTimeout how long the SDK waits for a client's answer to a server request
	 */
	public McpGatewayServlet(McpToolExecutor executor, OwnerResolver ownerResolver, String endpoint,
			List<String> allowedOrigins, McpSchema.Implementation serverInfo, Duration requestTimeout) {
		Assert.notNull(executor, "executor cannot be null");
		Assert.notNull(ownerResolver, "ownerResolver cannot be null");
		Assert.hasText(endpoint, "endpoint cannot be empty");
		Assert.notNull(allowedOrigins, "allowedOrigins cannot be null");
		this.ownerResolver = ownerResolver;
		McpJsonMapper json = McpJsonDefaults.getMapper();
		this.transport = HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(json)
			.mcpEndpoint(endpoint)
			.contextExtractor((request) -> McpTransportContext
				.create(Map.of(McpGatewayHandlers.OWNER, request.getAttribute(McpGatewayHandlers.OWNER))))
			.securityValidator(DefaultServerTransportSecurityValidator.builder().allowedOrigins(allowedOrigins).build())
			.build();
		McpGatewayHandlers handlers = new McpGatewayHandlers(executor, json, serverInfo,
				this.transport.protocolVersions());
		this.transport.setSessionFactory(new DefaultMcpStreamableServerSessionFactory(requestTimeout,
				handlers::initialize, handlers.requestHandlers(), handlers.notificationHandlers(), (sessionId) -> {
					this.sessionOwners.remove(sessionId);
					return Mono.empty();
				}));
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		McpOwner owner = owner(request);
		if (owner == null) {
			problem(response, McpConnectorErrorCode.UNAUTHENTICATED,
					"An authenticated user is required");
			return;
		}
		String sessionId = request.getHeader(HttpHeaders.MCP_SESSION_ID);
		// Fail closed: a session this servlet did not see opened, or another user opened, does not
		// exist for this caller (an initialize POST may carry a stale id and opens a new session).
		boolean initialize = "POST".equals(request.getMethod()) && sessionId != null
				&& !this.sessionOwners.containsKey(sessionId);
		if (sessionId != null && !initialize && !owner.equals(this.sessionOwners.get(sessionId))) {
			problem(response, McpConnectorErrorCode.SESSION_NOT_FOUND, "No such MCP session");
			return;
		}
		request.setAttribute(McpGatewayHandlers.OWNER, owner);
		this.transport.service(request, response);
		String opened = response.getHeader(HttpHeaders.MCP_SESSION_ID);
		if (opened != null && !opened.equals(sessionId)) {
			this.sessionOwners.putIfAbsent(opened, owner);
		}
		if (sessionId != null && "DELETE".equals(request.getMethod())
				&& response.getStatus() == HttpServletResponse.SC_OK) {
			this.sessionOwners.remove(sessionId);
		}
	}

	private McpOwner owner(HttpServletRequest request) {
		Authentication authentication = (request.getUserPrincipal() instanceof Authentication principal) ? principal
				: SecurityContextHolder.getContext().getAuthentication();
		if (!this.trustResolver.isAuthenticated(authentication)) {
			return null;
		}
		return this.ownerResolver.resolve(authentication);
	}

	private static void problem(HttpServletResponse response, McpConnectorErrorCode error, String detail)
			throws IOException {
		response.setStatus(error.status().value());
		response.setContentType("application/problem+json");
		response.setCharacterEncoding("UTF-8");
		Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("type", error.type().toString());
		body.put("title", error.title());
		body.put("status", error.status().value());
		body.put("detail", detail);
		body.put("code", error.code());
		response.getWriter().write(McpJsonDefaults.getMapper().writeValueAsString(body));
	}

	/** Closes every MCP session of the gateway. */
	@Override
	public void destroy() {
		this.transport.closeGracefully().block(Duration.ofSeconds(5));
		this.transport.destroy();
		super.destroy();
	}

}
