package dev.mcpconnector.conformance;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.AuthorizationOutcome;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.egress.EgressResponse;
import dev.mcpconnector.execution.McpClientSettings;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.registration.RegisteredClient;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client the official MCP conformance suite runs as {@code conformance/client <serverUrl>}.
 * It wires mcp-connector's own services by hand (in-memory storage, no Spring context, so it
 * starts fast) and drives them the way the REST API and the executor do for a web user: connect,
 * follow the authorization URL as a browser would (one GET whose redirect carries the code to
 * the callback handling), complete the callback, then list tools and call those
 * {@code MCP_CONFORMANCE_CONTEXT.toolCalls} names (else every listed one), list and read
 * resources, list and get prompts, re-authorizing on {@code 401} and stepping up on
 * {@code 403 insufficient_scope}, at most three authorizations. Form elicitations are accepted
 * with the requested schema's defaults ({@link ConformanceArguments}).
 */
public final class ConformanceClient {

	/** The client ID metadata document URL the suite expects when the server supports CIMD. */
	static final URI CLIENT_METADATA_URL = URI.create("https://conformance-test.local/client-metadata.json");

	/** Any absolute URL works: the suite's authorization endpoint redirects to it without checks. */
	static final URI REDIRECT_URI = URI.create("http://localhost:3000/callback");

	static final int MAX_AUTHORIZATIONS = 3;

	private final McpOwner owner = McpOwner.of("conformance-user");

	private final EgressHttpClient http;

	private final McpAuthorizationService authorization;

	private final McpToolExecutor executor;

	private int authorizations;

	/**
	 * How long the client waits for a connection and for an answer. The suite starts every
	 * scenario's client at once (39 JVMs on 2 cores in the 2026-07-28 run) and gives each 180 s;
	 * 20 s cut clients short on a loaded machine ("Listing tools timed out"), which measured the
	 * machine, not the client.
	 */
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

	ConformanceClient(JsonNode context) {
		Clock clock = Clock.systemUTC();
		// The suite's servers listen on localhost over plain http: the explicit development opt-in.
		EgressPolicy policy = new EgressPolicy(true, Set.of());
		this.http = new EgressHttpClient(policy, CONNECT_TIMEOUT, REQUEST_TIMEOUT, 4 * 1024 * 1024, 3);
		McpConnectionRepository repository = McpConnectionRepository.inMemory();
		McpConnectionService connections = new McpConnectionService(repository, clock);
		ClientRegistrationResolver registrations = new ClientRegistrationResolver(this.http,
				ClientRegistrationStore.inMemory(), preRegistered(context), CLIENT_METADATA_URL,
				"mcp-connector conformance client", clock);
		this.authorization = McpAuthorizationService.builder()
			.connections(connections)
			.pendingAuthorizations(PendingAuthorizationStore.inMemory())
			.discovery(new MetadataDiscovery(this.http, Set.of()))
			.registrations(registrations)
			.http(this.http)
			.clientInfo("mcp-connector-conformance", "0.1.0")
			.egressPolicy(policy)
			.stateLifetime(Duration.ofMinutes(10))
			.refreshSkew(Duration.ofSeconds(30))
			.clock(clock)
			// As the starter does by default: OpenID providers among the suite's servers are asked for an ID token.
			.openIdConnect(Duration.ofSeconds(60))
			.build();
		this.executor = new McpToolExecutor(connections, this.authorization, this.http,
				new McpClientSettings("mcp-connector-conformance", "0.1.0", CONNECT_TIMEOUT,
						REQUEST_TIMEOUT, ConformanceClient::accept));
	}

	public static void main(String[] args) {
		if (args.length == 0) {
			System.err.println("usage: conformance/client <serverUrl>");
			System.exit(2);
		}
		String serverUrl = args[args.length - 1];
		String scenario = Optional.ofNullable(System.getenv("MCP_CONFORMANCE_SCENARIO")).orElse("");
		JsonNode context = parseContext(System.getenv("MCP_CONFORMANCE_CONTEXT"));
		ConformanceClient client = new ConformanceClient(context);
		int status;
		try {
			client.run(scenario, serverUrl, context);
			status = 0;
		}
		catch (RuntimeException ex) {
			System.err.println("conformance client: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
			status = 1;
		}
		finally {
			client.executor.destroy();
		}
		System.exit(status);
	}

	void run(String scenario, String serverUrl, JsonNode context) {
		NewConnection request = NewConnection.of(serverUrl);
		McpConnection connection;
		if (scenario.startsWith("auth/client-credentials")) {
			connection = this.authorization.connectWithClientCredentials(this.owner, request);
		}
		else if (scenario.startsWith("auth/wif-")) {
			// Workload identity federation: the platform's JWT for this workload is the grant.
			String workloadToken = text(context, "valid_jwt");
			connection = this.authorization.connectWithWorkloadIdentity(this.owner, request, () -> workloadToken);
		}
		else if (scenario.startsWith("auth/enterprise-managed-authorization")
				|| scenario.startsWith("auth/cross-app-access")) {
			connection = this.authorization.connectWithIdentityAssertion(this.owner, request,
					URI.create(text(context, "idp_token_endpoint")), text(context, "idp_client_id"),
					text(context, "idp_id_token"));
		}
		else {
			McpAuthorizationService.AuthorizationStart result = this.authorization.connect(this.owner, request, null, REDIRECT_URI);
			connection = result.connection();
			if (result.authorizationUrl() != null) {
				this.authorizations++;
				connection = browse(result.authorizationUrl()).connection();
			}
		}
		UUID id = connection.id();
		List<McpSchema.Tool> tools = withAuthorization(id, () -> this.executor.listTools(this.owner, id));
		System.err.println("conformance client: " + tools.size() + " tool(s)");
		List<ConformanceArguments.ToolCall> calls = ConformanceArguments.toolCalls(context);
		if (calls.isEmpty()) {
			calls = tools.stream()
				.map((tool) -> new ConformanceArguments.ToolCall(tool.name(), ConformanceArguments.forTool(tool, tools)))
				.toList();
		}
		for (ConformanceArguments.ToolCall call : calls) {
			McpSchema.CallToolResult result = withAuthorization(id,
					() -> this.executor.callTool(this.owner, id, call.name(), call.arguments()));
			System.err.println("conformance client: called " + call.name() + " (isError=" + result.isError() + ")");
		}
		resourcesAndPrompts(id);
	}

	/**
	 * Lists and reads resources, lists and gets prompts, so that every method a scenario may
	 * check is exercised. A server that does not offer one (the library refuses before asking,
	 * or the server answers an error) is skipped.
	 */
	private void resourcesAndPrompts(UUID id) {
		offered("resources", () -> {
			for (McpSchema.Resource resource : withAuthorization(id, () -> this.executor.listResources(this.owner, id))) {
				withAuthorization(id, () -> this.executor.readResource(this.owner, id, resource.uri()));
				System.err.println("conformance client: read " + resource.uri());
			}
		});
		offered("prompts", () -> {
			for (McpSchema.Prompt prompt : withAuthorization(id, () -> this.executor.listPrompts(this.owner, id))) {
				withAuthorization(id, () -> this.executor.getPrompt(this.owner, id, prompt.name(),
						ConformanceArguments.forPrompt(prompt)));
				System.err.println("conformance client: got prompt " + prompt.name());
			}
		});
	}

	private static void offered(String feature, Runnable operation) {
		try {
			operation.run();
		}
		catch (McpConnectorException ex) {
			System.err.println("conformance client: no " + feature + " (" + ex.errorCode() + ": " + ex.getMessage() + ")");
		}
	}

	/** A user who accepts every form elicitation with its defaults (see {@link ConformanceArguments}). */
	private static McpSchema.ElicitResult accept(McpSchema.ElicitFormRequest request) {
		return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
				ConformanceArguments.elicitationContent(request.requestedSchema()));
	}

	private <T> T withAuthorization(UUID id, Supplier<T> operation) {
		while (true) {
			try {
				return operation.get();
			}
			catch (AuthorizationRequiredException ex) {
				if (this.authorizations >= MAX_AUTHORIZATIONS) {
					throw ex;
				}
				this.authorizations++;
				McpAuthorizationService.AuthorizationStart start = this.authorization.authorize(this.owner, id,
						ex.challenge(), null, REDIRECT_URI);
				AuthorizationOutcome outcome = browse(start.authorizationUrl());
				if (!outcome.isSuccess()) {
					throw new IllegalStateException("Authorization declined: " + outcome.error());
				}
			}
		}
	}

	/**
	 * What a browser does with an authorization URL here: the suite's authorization endpoint
	 * consents at once and redirects; the redirect's query goes to the callback handling.
	 */
	private AuthorizationOutcome browse(URI authorizationUrl) {
		EgressResponse response = this.http.getNoRedirect(authorizationUrl, Map.of("Accept", "text/html"));
		String location = response.header("Location").orElse(null);
		if (response.status() / 100 != 3 || location == null) {
			throw new IllegalStateException("The authorization endpoint answered HTTP " + response.status()
					+ " without a redirect");
		}
		Map<String, String> query = query(authorizationUrl.resolve(location));
		return this.authorization.complete(this.owner, new CallbackParameters(query.get("code"), query.get("state"),
				query.get("iss"), query.get("error"), query.get("error_description")));
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> params = new LinkedHashMap<>();
		String raw = uri.getRawQuery();
		if (raw == null) {
			return params;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq >= 0) ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
			String value = (eq >= 0) ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
			params.putIfAbsent(name, value);
		}
		return params;
	}

	private static PreRegisteredClients preRegistered(JsonNode context) {
		String clientId = text(context, "client_id");
		if (clientId == null) {
			return PreRegisteredClients.none();
		}
		String secret = text(context, "client_secret");
		String pem = text(context, "private_key_pem");
		PrivateKey key = (pem != null) ? RegisteredClient.privateKeyFromPem(pem) : null;
		ClientAuthenticationMethod method = (key != null) ? ClientAuthenticationMethod.PRIVATE_KEY_JWT
				: (secret != null) ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC : ClientAuthenticationMethod.NONE;
		String algorithm = text(context, "signing_algorithm");
		// The suite names the credentials without their issuer; this process talks to exactly one
		// authorization server, so they are bound to whichever issuer discovery finds.
		return (issuer) -> Optional.of(new RegisteredClient(issuer, clientId, secret, method,
				ClientRegistrationSource.PRE_REGISTERED, key, null, algorithm));
	}

	private static JsonNode parseContext(String json) {
		if (json == null || json.isBlank()) {
			return JsonMapper.shared().createObjectNode();
		}
		return JsonMapper.shared().readTree(json);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		return (value != null && value.isString()) ? value.asString() : null;
	}

}
