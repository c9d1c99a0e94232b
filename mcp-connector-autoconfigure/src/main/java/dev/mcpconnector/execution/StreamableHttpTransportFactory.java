package dev.mcpconnector.execution;

import dev.mcpconnector.connection.McpTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpClientTransport;

/**
 * The Streamable HTTP transport (MCP 2025-03-26 and later): the token on every request, a 401
 * refreshed and replayed by the SDK's authorization error handler; a POST's event stream that
 * ends before its response resumed with GET and {@code Last-Event-ID} (the SDK does not:
 * {@link ResumableEventStream}).
 */
final class StreamableHttpTransportFactory implements McpClientTransportFactory {

	@Override
	public McpTransport transport() {
		return McpTransport.STREAMABLE_HTTP;
	}

	@Override
	public McpClientTransport create(TransportRequest request) {
		SessionTokenSource tokens = request.tokens();
		return HttpClientStreamableHttpTransport.builder(request.baseUrl())
			.endpoint(request.endpoint())
			.clientBuilder(RecordingHttpClient.resumingEventStreams(request.client(), request.maxResponseBytes()))
			.connectTimeout(request.connectTimeout())
			.addHttpRequestCustomizer(tokens)
			.authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(tokens::onDenied))
			.maxResponseSize(request.maxResponseBytes())
			.build();
	}

}
