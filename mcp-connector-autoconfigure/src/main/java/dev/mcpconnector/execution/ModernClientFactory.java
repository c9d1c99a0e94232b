package dev.mcpconnector.execution;

import java.time.Duration;
import java.util.function.Function;

import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpAuthorizationErrorHandler;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Builds the SDK's 2026-07-28 client of a session: {@code HttpClientMcpTransport} on the
 * session's egress-guarded, recording HTTP client, the session's token on every request and
 * the same refresh on a 401 as the older transports. The elicitation handler of the settings
 * answers form elicitations of {@code input_required} results (declared as the form capability
 * in each request's {@code _meta}); the SDK runs the rounds: {@code requestState} echoed
 * untouched, a new JSON-RPC id each round, at most {@link McpClient#DEFAULT_MAX_INPUT_ROUNDS}.
 * Sampling and roots are not offered to a 2026-07-28 server yet (the SDK's client declares
 * elicitation only).
 */
final class ModernClientFactory {

	/** The first revision without {@code initialize}. */
	static final String FIRST_MODERN_REVISION = io.modelcontextprotocol.modern.McpSchema.LATEST_PROTOCOL_VERSION;

	private final McpClientSettings settings;

	ModernClientFactory(McpClientSettings settings) {
		this.settings = settings;
	}

	/**
	 * Whether a stored revision is 2026-07-28 or later (dates compare as text).
	 * @param protocolVersion the revision, or {@code null}
	 * @return whether it is modern
	 */
	static boolean isModern(String protocolVersion) {
		return protocolVersion != null && protocolVersion.compareTo(FIRST_MODERN_REVISION) >= 0;
	}

	McpSyncClient create(McpClientTransportFactory.TransportRequest request, Duration timeout) {
		SessionTokenSource tokens = request.tokens();
		HttpClientMcpTransport transport = HttpClientMcpTransport.builder(request.url())
			.clientBuilder(request.client())
			.connectTimeout(request.connectTimeout())
			.maxResponseSize(request.maxResponseBytes())
			.requestCustomizer(McpHttpRequestCustomizer.fromSync(tokens::customize))
			.authorizationErrorHandler(McpHttpAuthorizationErrorHandler.fromSync(tokens::onDenied))
			.build();
		McpClient.SyncBuilder builder = McpClient.sync(transport)
			.clientInfo(new io.modelcontextprotocol.modern.McpSchema.Implementation(this.settings.clientName(), null,
					this.settings.clientVersion(), null, null, null))
			.roundTimeout(timeout);
		Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation = this.settings.elicitation();
		if (elicitation != null) {
			builder.formElicitation((form) -> ModernSchemas.elicitResult(
					elicitation.apply(ModernSchemas.elicitFormRequest(form)), form.requestedSchema()));
		}
		return builder.build();
	}

}
