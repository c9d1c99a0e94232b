package dev.mcpconnector.registration;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Dynamic registration's {@code application_type}: {@code native} for an http loopback redirect
 * (stricter servers refuse a {@code web} client with one), {@code web} otherwise, or what is
 * configured for the issuer; sent to a registration endpoint on loopback. A registration that
 * cannot be had names the setting that fixes it.
 */
@Tag("fast")
class ClientRegistrationResolverTests {

	private final HttpServer server;

	private final List<String> registrations = new CopyOnWriteArrayList<>();

	/** Status and body the registration endpoint answers with; a 201 registration when unset. */
	private volatile String refusal;

	private volatile int refusalStatus;

	ClientRegistrationResolverTests() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/register", this::register);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "http://localhost:8080/cb, native", "http://127.0.0.1:8080/cb, native", "http://[::1]:8080/cb, native",
			"https://localhost:8443/cb, web", "https://app.example.com/cb, web", "http://app.example.com/cb, web" })
	void registerWhenNothingConfiguredThenApplicationTypeFromTheRedirectUri(String redirectUri, String expected)
			throws Exception {
		resolver(Map.of()).resolve(metadata(), URI.create(redirectUri));

		assertThat(JSONObjectUtils.parse(this.registrations.get(0))).containsEntry("application_type", expected)
			.containsEntry("redirect_uris", List.of(redirectUri));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "web", "native" })
	void registerWhenConfiguredForTheIssuerThenThatApplicationType(String configured) throws Exception {
		resolver(Map.of(issuer(), configured)).resolve(metadata(), URI.create("http://localhost:8080/cb"));

		assertThat(JSONObjectUtils.parse(this.registrations.get(0))).containsEntry("application_type", configured);
	}

	@ParameterizedTest(name = "HTTP {0} {1}")
	@CsvSource(delimiter = '|', value = { "401|{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\"}",
			"403|{\"error\":\"insufficient_scope\",\"error_description\":\"Policy 'Trusted Hosts' rejected request\"}" })
	void registrationRefusedThenTheDetailNamesPreRegistration(int status, String body) {
		this.refusalStatus = status;
		this.refusal = body;

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> resolver(Map.of()).resolve(metadata(), URI.create("http://localhost:8080/cb")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED))
			.withMessageContaining("mcp.connector.registration.clients.<name>.issuer=" + issuer())
			.withMessageContaining(".client-id")
			.withMessageNotContaining("application-type");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "invalid_redirect_uri", "invalid_client_metadata" })
	void registrationRefusingTheMetadataThenTheDetailAlsoNamesTheApplicationType(String error) {
		this.refusalStatus = 400;
		this.refusal = "{\"error\":\"" + error + "\"}";

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> resolver(Map.of()).resolve(metadata(), URI.create("http://localhost:8080/cb")))
			.withMessageContaining("mcp.connector.registration.dynamic.<name>.issuer=" + issuer())
			.withMessageContaining(".application-type")
			.withMessageContaining("mcp.connector.registration.clients.<name>.issuer=" + issuer());
	}

	@org.junit.jupiter.api.Test
	void noRegistrationEndpointThenTheDetailNamesPreRegistration() {
		URI base = URI.create(issuer());
		AuthorizationServerMetadata withoutRegistration = new AuthorizationServerMetadata(issuer(),
				base.resolve("/authorize"), base.resolve("/token"), null, null, List.of("S256"), Set.of(), List.of(),
				Set.of(), false, false, null, null, Set.of(), AuthorizationServerMetadata.Source.OAUTH_METADATA);

		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> resolver(Map.of()).resolve(withoutRegistration, URI.create("http://localhost:8080/cb")))
			.withMessageContaining("mcp.connector.registration.clients.<name>.issuer=" + issuer());
		assertThat(this.registrations).isEmpty();
	}

	private ClientRegistrationResolver resolver(Map<String, String> applicationTypes) {
		EgressHttpClient http = new EgressHttpClient(new EgressPolicy(true, Set.of()), Duration.ofSeconds(2),
				Duration.ofSeconds(5), 1024 * 1024, 0);
		return new ClientRegistrationResolver(http, ClientRegistrationStore.inMemory(), PreRegisteredClients.none(),
				null, "test", applicationTypes, Clock.systemUTC());
	}

	private String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private AuthorizationServerMetadata metadata() {
		URI base = URI.create(issuer());
		return new AuthorizationServerMetadata(issuer(), base.resolve("/authorize"), base.resolve("/token"),
				base.resolve("/register"), null, List.of("S256"), Set.of(), List.of("none"), Set.of(), false, false,
				null, null, Set.of(), AuthorizationServerMetadata.Source.OAUTH_METADATA);
	}

	private void register(HttpExchange exchange) throws IOException {
		this.registrations.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		String refused = this.refusal;
		byte[] body = ((refused != null) ? refused
				: "{\"client_id\":\"registered-1\",\"token_endpoint_auth_method\":\"none\"}")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders((refused != null) ? this.refusalStatus : 201, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
