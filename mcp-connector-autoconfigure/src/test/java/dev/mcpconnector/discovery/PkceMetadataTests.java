package dev.mcpconnector.discovery;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An authorization server whose metadata omits {@code code_challenge_methods_supported} (Entra
 * ID, Cognito) is refused with a detail that names the per-issuer exception, and accepted with
 * S256 once its issuer is listed there; one that lists methods without S256 is refused with no
 * such hint, since the exception does not apply to it.
 */
@Tag("fast")
class PkceMetadataTests {

	private final HttpServer server;

	private volatile String pkceMember = "";

	PkceMetadataTests() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/.well-known/oauth-authorization-server", (exchange) -> {
			byte[] body = ("{\"issuer\":\"" + issuer() + "\",\"authorization_endpoint\":\"" + issuer()
					+ "/authorize\",\"token_endpoint\":\"" + issuer() + "/token\",\"response_types_supported\":[\"code\"]"
					+ this.pkceMember + "}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void noPkceMemberThenTheDetailNamesTheExceptionSetting() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> discovery(Set.of()).discoverAuthorizationServer(issuer()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.PKCE_UNSUPPORTED))
			.withMessageContaining("add " + issuer() + " to mcp.connector.authorization.issuers-without-pkce-metadata");
	}

	@Test
	void noPkceMemberAndListedThenS256() {
		assertThat(discovery(Set.of(issuer())).discoverAuthorizationServer(issuer()).codeChallengeMethods())
			.containsExactly("S256");
	}

	@Test
	void methodsWithoutS256ThenRefusedWithoutTheHint() {
		this.pkceMember = ",\"code_challenge_methods_supported\":[\"plain\"]";

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> discovery(Set.of(issuer())).discoverAuthorizationServer(issuer()))
			.withMessageContaining("[plain]")
			.withMessageNotContaining("issuers-without-pkce-metadata");
	}

	private MetadataDiscovery discovery(Set<String> issuersWithoutPkceMetadata) {
		EgressHttpClient http = new EgressHttpClient(new EgressPolicy(true, Set.of()), Duration.ofSeconds(2),
				Duration.ofSeconds(5), 1024 * 1024, 0);
		return new MetadataDiscovery(http, issuersWithoutPkceMetadata);
	}

	private String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

}
