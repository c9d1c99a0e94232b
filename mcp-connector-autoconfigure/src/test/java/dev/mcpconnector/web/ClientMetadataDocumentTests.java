package dev.mcpconnector.web;

import java.net.URI;
import java.util.Map;

import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.OwnerResolver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The client ID metadata document declares the {@code application_type} by the same rule as
 * dynamic registration: {@code native} for an http callback on a loopback host (a stricter
 * server refuses a {@code web} client with one), {@code web} otherwise.
 */
@Tag("fast")
class ClientMetadataDocumentTests {

	private static final URI DOCUMENT = URI.create("https://app.example.com/api/mcp/oauth/client-metadata.json");

	@Test
	void loopbackHttpCallbackIsNative() {
		Map<String, Object> document = document(null, "http", "localhost", 8080);
		assertThat(document).containsEntry("redirect_uris", java.util.List.of("http://localhost:8080/api/mcp/oauth/callback"))
			.containsEntry("application_type", "native");
		assertThat(document(URI.create("http://127.0.0.1:9000/cb"), "https", "app.example.com", 443))
			.containsEntry("application_type", "native");
	}

	@Test
	void httpsCallbackIsWeb() {
		URI onTrustedOrigin = URI.create("https://app.example.com/api/mcp/oauth/callback");
		assertThat(document(onTrustedOrigin, "https", "app.example.com", 443)).containsEntry("redirect_uris",
				java.util.List.of("https://app.example.com/api/mcp/oauth/callback"))
			.containsEntry("application_type", "web");
	}

	/** The document is the same whatever host the request names. */
	@Test
	void forgedHostChangesNothing() {
		assertThat(document(null, "https", "evil.example", 443)).isEqualTo(document(null, "http", "localhost", 8080));
		URI configured = URI.create("https://app.example.com/api/mcp/oauth/callback");
		assertThat(document(configured, "https", "evil.example", 443))
			.isEqualTo(document(configured, "https", "app.example.com", 443));
	}

	@Test
	void plainHttpOnAnotherHostIsWeb() {
		assertThat(document(URI.create("http://app.internal/cb"), "https", "app.example.com", 443))
			.containsEntry("application_type", "web");
	}

	private static Map<String, Object> document(URI configuredRedirectUri, String scheme, String host, int port) {
		McpAuthorizationController controller = new McpAuthorizationController(mock(McpAuthorizationService.class),
				new WebPaths("/api/mcp", configuredRedirectUri, "/"), OwnerResolver.principalName("t"), DOCUMENT,
				"test-app");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/mcp/oauth/client-metadata.json");
		request.setScheme(scheme);
		request.setServerName(host);
		request.setServerPort(port);
		request.setLocalPort(8080);
		return controller.clientMetadata(request).getBody();
	}

}
