package dev.mcpconnector.execution;

import java.net.URI;
import java.util.Objects;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.egress.EgressPolicy;
import io.modelcontextprotocol.client.transport.DefaultSseMessageEndpointValidator;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.InvalidSseMessageEndpointException;
import io.modelcontextprotocol.client.transport.SseMessageEndpointValidator;
import io.modelcontextprotocol.spec.McpClientTransport;

/**
 * The HTTP+SSE transport of MCP 2024-11-05. The SDK's transport waits for the stream's
 * {@code endpoint} event until the request times out when the server refuses the stream
 * itself, so the stream is asked first (status and headers only): a 401 is refreshed once, and
 * a second one needs the user. The message endpoint the server names must stay on its origin
 * and pass the egress policy.
 */
final class LegacySseTransportFactory implements McpClientTransportFactory {

	private final McpConnectionService connections;

	private final LegacySseDetector detector;

	private final EgressPolicy policy;

	LegacySseTransportFactory(McpConnectionService connections, LegacySseDetector detector, EgressPolicy policy) {
		this.connections = connections;
		this.detector = detector;
		this.policy = policy;
	}

	@Override
	public McpTransport transport() {
		return McpTransport.SSE;
	}

	@Override
	public McpClientTransport create(TransportRequest request) {
		preflight(request);
		return HttpClientSseClientTransport.builder(request.baseUrl())
			.sseEndpoint(request.endpoint())
			.clientBuilder(request.client())
			.connectTimeout(request.connectTimeout())
			.addHttpRequestCustomizer(request.tokens())
			.messageEndpointValidator(messageEndpointValidator(request.url()))
			.maxResponseSize(request.maxResponseBytes())
			.build();
	}

	private void preflight(TransportRequest request) {
		McpConnection connection = request.connection();
		SessionTokenSource tokens = request.tokens();
		for (int attempt = 0;; attempt++) {
			// Unreachable or another status: the transport reports what is wrong with the server.
			if (this.detector.probe(connection.serverUrl(), tokens)
				.filter((response) -> response.status() == 401)
				.isEmpty()) {
				return;
			}
			if (attempt > 0 || !tokens.hasToken()) {
				this.connections.updateStatus(request.owner(), connection.id(),
						tokens.hasToken() ? ConnectionStatus.REAUTHORIZATION_REQUIRED
								: ConnectionStatus.AUTHORIZATION_REQUIRED);
				throw new AuthorizationRequiredException(connection.id(), null, false,
						"The server requires authorization (HTTP 401)");
			}
			tokens.refresh();
		}
	}

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
				this.policy.check(target);
			}
			catch (RuntimeException ex) {
				throw new InvalidSseMessageEndpointException("The server named a message endpoint the egress policy refuses",
						"");
			}
		};
	}

}
