package dev.mcpconnector.ai;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.Assert;

/**
 * The gateway: one MCP server (Streamable HTTP, the MCP Java SDK's stateless
 * {@link HttpServletStatelessServerTransport}) that serves each authenticated user the tools of
 * the MCP servers <em>they</em> connected. {@code tools/list} answers with the user's allowed
 * tools under {@link ToolNameMapper} names; {@code tools/call} runs through the
 * {@link McpToolExecutor} for that user, so policies, approvals, rate limits and the audit log
 * apply, and a failure comes back as a tool result with {@code isError} whose text is the JSON
 * failure message ({@code {"error": "<code>", "message": "..."}}) that Spring AI callbacks give
 * a model too.
 * <p>
 * Stateless: no instance keeps anything between two requests, so any instance behind a load
 * balancer serves any request. The session id an {@code initialize} answer carries is a random
 * value sealed with the {@link SecretCipher} and bound to the user who opened it: every instance
 * with the same encryption keys verifies it, and another user presenting it gets 404, as if it
 * did not exist. {@code GET} (a server-to-client stream) is not offered (405).
 * <p>
 * The servlet sits behind the host application's Spring Security filter chain, which decides
 * who may call it. For every request it resolves the owner from that request's
 * {@link Authentication} (through the {@link OwnerResolver}) and hands it to the handlers in the
 * request's {@link McpTransportContext}. A request without an authenticated user gets 401.
 */
public class McpGatewayServlet extends HttpServlet {

	private static final String MCP = "/mcp";

	private final transient HttpServletStatelessServerTransport transport;

	private final transient OwnerResolver ownerResolver;

	private final transient GatewaySessions sessions;

	private final transient GatewayCatalog catalog;

	/** {@code {base}/gateway}: the gateway of all connections is {@code /mcp} under it. */
	private final String root;

	private final transient AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	/**
	 * @param executor runs the calls
	 * @param connections the users' connections
	 * @param ownerResolver turns a request's authentication into an owner
	 * @param cipher seals the session ids (every instance behind one address needs the same keys)
	 * @param endpoint the path of the gateway of all connections, e.g. {@code /api/mcp/gateway/mcp};
	 * the servlet serves {@code /api/mcp/gateway/<connection>/mcp} as well, when
	 * {@link ConnectionEndpoints} hands those requests to it
	 * @param allowedOrigins browser origins allowed to call it; a request with any other
	 * {@code Origin} header is refused
	 * @param serverInfo name and version of the gateway in its initialize response
	 */
	public McpGatewayServlet(McpToolExecutor executor, McpConnectionService connections, OwnerResolver ownerResolver,
			SecretCipher cipher, String endpoint, List<String> allowedOrigins, McpSchema.Implementation serverInfo) {
		Assert.notNull(executor, "executor cannot be null");
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(ownerResolver, "ownerResolver cannot be null");
		Assert.notNull(cipher, "cipher cannot be null");
		Assert.hasText(endpoint, "endpoint cannot be empty");
		Assert.notNull(allowedOrigins, "allowedOrigins cannot be null");
		Assert.isTrue(endpoint.endsWith(MCP), "endpoint must end with " + MCP);
		this.root = endpoint.substring(0, endpoint.length() - MCP.length());
		this.ownerResolver = ownerResolver;
		this.catalog = new GatewayCatalog(connections, executor);
		this.sessions = new GatewaySessions(cipher);
		McpJsonMapper json = McpJsonDefaults.getMapper();
		this.transport = HttpServletStatelessServerTransport.builder()
			.jsonMapper(json)
			// The servlet itself decides which of its paths a request is for.
			.messageEndpoint(MCP)
			.contextExtractor((request) -> McpTransportContext
				.create(Map.of(McpGatewayHandlers.CALL, request.getAttribute(McpGatewayHandlers.CALL))))
			.httpHeaderValidator(DefaultServerTransportSecurityValidator.builder().allowedOrigins(allowedOrigins).build())
			.build();
		this.transport.setMcpHandler(
				new McpGatewayHandlers(executor, this.catalog, json, serverInfo, this.transport.protocolVersions()));
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		Authentication authentication = (request.getUserPrincipal() instanceof Authentication principal) ? principal
				: SecurityContextHolder.getContext().getAuthentication();
		McpOwner owner = owner(authentication);
		if (owner == null) {
			problem(response, McpConnectorErrorCode.UNAUTHENTICATED, "An authenticated user is required");
			return;
		}
		// A gateway token carries its own owner and limits; anything else is the host's user.
		GatewayScope scope = scope(request, (authentication instanceof GatewayTokenAuthentication token)
				? token.token().scope() : GatewayScope.ALL);
		if (scope == null || (scope.single() && this.catalog.find(owner, scope, scope.connection()).isEmpty())) {
			problem(response, McpConnectorErrorCode.CONNECTION_NOT_FOUND, "No such connection");
			return;
		}
		String sessionId = request.getHeader(HttpHeaders.MCP_SESSION_ID);
		// Fail closed: an id this owner did not open does not exist for this caller (an
		// initialize may carry a stale one and gets a new id).
		if (sessionId != null && !this.sessions.belongsTo(sessionId, owner)) {
			problem(response, McpConnectorErrorCode.SESSION_NOT_FOUND, "No such MCP session");
			return;
		}
		if ("DELETE".equals(request.getMethod()) && sessionId != null) {
			// Nothing is held for a session, so ending one is always done.
			response.setStatus(HttpServletResponse.SC_OK);
			return;
		}
		request.setAttribute(McpGatewayHandlers.CALL,
				new McpGatewayHandlers.Call(owner, scope, () -> response.setHeader(HttpHeaders.MCP_SESSION_ID,
						this.sessions.open(owner))));
		this.transport.service(request, response);
	}

	/**
	 * The scope of the request's path: the gateway of all connections, one connection's
	 * endpoint, or {@code null} for a path that is neither.
	 */
	private GatewayScope scope(HttpServletRequest request, GatewayScope granted) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.equals(this.root + MCP)) {
			return granted;
		}
		String connection = connectionOf(path, this.root);
		return (connection != null) ? granted.narrowedTo(connection) : null;
	}

	/** The connection of {@code <root>/<connection>/mcp}, or {@code null}. */
	static String connectionOf(String path, String root) {
		if (!path.startsWith(root + "/") || !path.endsWith(MCP) || path.length() <= root.length() + 1 + MCP.length()) {
			return null;
		}
		String connection = path.substring(root.length() + 1, path.length() - MCP.length());
		return (connection.isEmpty() || connection.contains("/")) ? null
				: URLDecoder.decode(connection, StandardCharsets.UTF_8);
	}

	private McpOwner owner(Authentication authentication) {
		if (!this.trustResolver.isAuthenticated(authentication)) {
			return null;
		}
		if (authentication instanceof GatewayTokenAuthentication token) {
			return token.token().owner();
		}
		return this.ownerResolver.resolve(authentication);
	}

	static void problem(HttpServletResponse response, McpConnectorErrorCode error, String detail)
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

	/**
	 * Hands the requests for {@code {base}/gateway/<connection>/mcp} to the gateway servlet, which
	 * a servlet mapping cannot (a path pattern would take {@code {base}/gateway/tokens} from the
	 * application's controllers). Register it for {@code {base}/gateway/*}, after Spring
	 * Security's filter; every other request passes on.
	 */
	public static final class ConnectionEndpoints implements Filter {

		private final McpGatewayServlet servlet;

		public ConnectionEndpoints(McpGatewayServlet servlet) {
			Assert.notNull(servlet, "servlet cannot be null");
			this.servlet = servlet;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
					&& connectionOf(http.getRequestURI().substring(http.getContextPath().length()),
							this.servlet.root) != null) {
				this.servlet.service(http, httpResponse);
				return;
			}
			chain.doFilter(request, response);
		}

	}

	/** Refuses new requests; nothing else is held. */
	@Override
	public void destroy() {
		this.transport.destroy();
		super.destroy();
	}

}
