package dev.mcpconnector.web;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.spec.McpSchema;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The connections of the authenticated user. Every id that is not one of the caller's own
 * connections (another user's, a nonexistent or a malformed one) answers the same 404.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}/connections")
class McpConnectionController {

	private final McpConnectionService connections;

	private final McpAuthorizationService authorization;

	private final McpToolExecutor executor;

	private final WebPaths paths;

	private final CurrentOwner currentOwner;

	public McpConnectionController(McpConnectionService connections, McpAuthorizationService authorization,
			McpToolExecutor executor, WebPaths paths, OwnerResolver ownerResolver) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(authorization, "authorization cannot be null");
		Assert.notNull(executor, "executor cannot be null");
		Assert.notNull(paths, "paths cannot be null");
		this.connections = connections;
		this.authorization = authorization;
		this.executor = executor;
		this.paths = paths;
		this.currentOwner = new CurrentOwner(ownerResolver);
	}

	/**
	 * Link a server. 201 with the connection; when it needs consent, its status is
	 * {@code AUTHORIZATION_REQUIRED} and {@code authorizationUrl} says where to send the browser.
	 */
	@PostMapping
	public ResponseEntity<ConnectResponse> connect(Authentication authentication, @RequestBody ConnectRequest body,
			HttpServletRequest request) {
		McpOwner owner = this.currentOwner.of(authentication);
		if (body == null || body.serverUrl() == null) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "serverUrl is required");
		}
		McpAuthorizationService.AuthorizationStart result = this.authorization.connect(owner,
				new NewConnection(body.serverUrl(), body.name(), body.scopes(), body.requestTimeout(),
						new dev.mcpconnector.connection.ConnectionLimits(body.connectTimeout(), body.maxResponseBytes())),
				this.paths.returnTo(body.returnTo()),
				this.paths.redirectUri(request));
		ConnectResponse response = ConnectResponse.of(result.connection(), result.authorizationUrl());
		return ResponseEntity.created(ServletUriComponentsBuilder.fromRequestUri(request)
			.path("/{id}")
			.buildAndExpand(response.id())
			.toUri()).body(response);
	}

	/** A fresh authorization URL (first consent, re-authorization or step-up). */
	@PostMapping("/{id}/authorize")
	public ConnectResponse authorize(Authentication authentication, @PathVariable("id") String id,
			@RequestBody(required = false) java.util.Map<String, String> body, HttpServletRequest request) {
		McpOwner owner = this.currentOwner.of(authentication);
		String returnTo = (body != null) ? body.get("returnTo") : null;
		McpAuthorizationService.AuthorizationStart start = this.authorization.authorize(owner, parseId(id),
				this.paths.returnTo(returnTo), this.paths.redirectUri(request));
		return ConnectResponse.of(start.connection(), start.authorizationUrl());
	}

	/** Check the connection now (ping, credentials, tool count); updates UNREACHABLE / ACTIVE. */
	@PostMapping("/{id}/check")
	public dev.mcpconnector.execution.ConnectionCheck check(Authentication authentication,
			@PathVariable("id") String id) {
		return this.executor.check(this.currentOwner.of(authentication), parseId(id));
	}

	/** Refresh the connection's access token now. */
	@PostMapping("/{id}/refresh")
	public java.util.Map<String, Object> refresh(Authentication authentication, @PathVariable("id") String id) {
		McpOwner owner = this.currentOwner.of(authentication);
		UUID connectionId = parseId(id);
		this.connections.get(owner, connectionId);
		if (this.authorization.credentials(owner, connectionId).isEmpty()) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST, "The connection holds no token to refresh");
		}
		dev.mcpconnector.connection.ConnectionCredentials fresh = this.authorization.refresh(owner, connectionId, null);
		this.executor.close(owner, connectionId);
		java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("status", this.connections.get(owner, connectionId).status());
		body.put("expiresAt", fresh.expiresAt());
		return body;
	}

	/** The resources of a connection. */
	@GetMapping("/{id}/resources")
	public List<McpSchema.Resource> resources(Authentication authentication, @PathVariable("id") String id) {
		return this.executor.listResources(this.currentOwner.of(authentication), parseId(id));
	}

	/** The resource templates of a connection. */
	@GetMapping("/{id}/resource-templates")
	public List<McpSchema.ResourceTemplate> resourceTemplates(Authentication authentication,
			@PathVariable("id") String id) {
		return this.executor.listResourceTemplates(this.currentOwner.of(authentication), parseId(id));
	}

	/** Read one resource of a connection by its URI. */
	@GetMapping(path = "/{id}/resources/read")
	public McpSchema.ReadResourceResult readResource(Authentication authentication, @PathVariable("id") String id,
			@org.springframework.web.bind.annotation.RequestParam("uri") String uri) {
		return this.executor.readResource(this.currentOwner.of(authentication), parseId(id), uri);
	}

	/** The prompts of a connection. */
	@GetMapping("/{id}/prompts")
	public List<McpSchema.Prompt> prompts(Authentication authentication, @PathVariable("id") String id) {
		return this.executor.listPrompts(this.currentOwner.of(authentication), parseId(id));
	}

	/** Get a prompt; the body is its arguments. */
	@PostMapping("/{id}/prompts/{prompt}")
	public McpSchema.GetPromptResult prompt(Authentication authentication, @PathVariable("id") String id,
			@PathVariable("prompt") String prompt,
			@RequestBody(required = false) java.util.Map<String, Object> arguments) {
		return this.executor.getPrompt(this.currentOwner.of(authentication), parseId(id), prompt, arguments);
	}

	/** The tools of a connection, through the executor. */
	@GetMapping("/{id}/tools")
	public List<McpSchema.Tool> tools(Authentication authentication, @PathVariable("id") String id) {
		return this.executor.listTools(this.currentOwner.of(authentication), parseId(id));
	}

	/** Call a tool; the body is its arguments. */
	@PostMapping("/{id}/tools/{tool}")
	public McpSchema.CallToolResult call(Authentication authentication, @PathVariable("id") String id,
			@PathVariable("tool") String tool, @RequestBody(required = false) java.util.Map<String, Object> arguments) {
		return this.executor.callTool(this.currentOwner.of(authentication), parseId(id), tool, arguments);
	}

	@GetMapping
	public List<ConnectionResponse> list(Authentication authentication) {
		return this.connections.list(this.currentOwner.of(authentication))
			.stream()
			.map(ConnectionResponse::of)
			.toList();
	}

	@GetMapping("/{id}")
	public ConnectionResponse get(Authentication authentication, @PathVariable("id") String id) {
		return ConnectionResponse.of(this.connections.get(this.currentOwner.of(authentication), parseId(id)));
	}

	/** Revoke the connection's tokens at its authorization server (when it can) and delete it. */
	@DeleteMapping("/{id}")
	public ResponseEntity<Void> delete(Authentication authentication, @PathVariable("id") String id) {
		McpOwner owner = this.currentOwner.of(authentication);
		UUID connectionId = parseId(id);
		// The executor closes the connection's sessions on the McpConnectionDeletedEvent.
		this.authorization.revokeAndDelete(owner, connectionId);
		return ResponseEntity.noContent().build();
	}

	static UUID parseId(String id) {
		try {
			UUID uuid = UUID.fromString(id);
			if (uuid.toString().equalsIgnoreCase(id)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through: a malformed id is as unknown as a nonexistent one
		}
		throw McpConnectionRepository.connectionNotFound();
	}

}
