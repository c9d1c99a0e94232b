package dev.mcpconnector.registration;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A pre-registered client serves only the resources its globs name: {@code *} never crosses
 * {@code /}, {@code ?}, {@code #} or {@code @}, so a host glob cannot be stretched to another host.
 */
@Tag("fast")
class PreRegisteredClientsTests {

	private static final String ISSUER = "https://login.corp.example";

	private final RegisteredClient client = new RegisteredClient(ISSUER, "corp-app", "s3cret",
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientRegistrationSource.PRE_REGISTERED, null, null, null);

	private final PreRegisteredClients clients = PreRegisteredClients.of(Map.of(ISSUER, this.client),
			Map.of(ISSUER, List.of("https://*.corp.example/mcp", "https://tools.corp.example/**")));

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "https://a.corp.example/mcp, true", "https://b-2.corp.example/mcp, true",
			"https://tools.corp.example/x/y/mcp, true", "https://tools.corp.example/mcp, true",
			"https://evil.example/x.corp.example/mcp, false", "https://evil.example@a.corp.example/mcp, false",
			"https://evil.example?.corp.example/mcp, false", "https://evil.example#.corp.example/mcp, false",
			"https://a.corp.example/mcp/other, false", "https://a.corp.example.evil.example/mcp, false",
			"http://a.corp.example/mcp, false", "https://tools.corp.example.evil.example/mcp, false",
			"https://corp.example/mcp, false" })
	void allowsResourceWhenGlobsConfiguredThenOnlyWhatTheyName(String resource, boolean allowed) {
		assertThat(this.clients.allowsResource(ISSUER, URI.create(resource))).isEqualTo(allowed);
	}

	@Test
	void allowsResourceWhenNoGlobsThenEveryResource() {
		PreRegisteredClients open = PreRegisteredClients.of(Map.of(ISSUER, this.client));
		assertThat(open.allowsResource(ISSUER, URI.create("https://anything.example/mcp"))).isTrue();
	}

	@Test
	void resolveWhenTheResourceIsNotAllowedThenRefusedNamingTheSetting() {
		ClientRegistrationResolver resolver = new ClientRegistrationResolver(
				new EgressHttpClient(EgressPolicy.strict(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 0),
				ClientRegistrationStore.inMemory(), this.clients, null, "test", Clock.systemUTC());
		URI callback = URI.create("https://app.example.com/cb");

		assertThat(resolver.resolve(metadata(), callback, URI.create("https://a.corp.example/mcp")))
			.isSameAs(this.client);
		assertThat(resolver.current(metadata(), URI.create("https://a.corp.example/mcp"))).containsSame(this.client);
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> resolver.resolve(metadata(), callback, URI.create("https://evil.example/mcp")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED))
			.withMessageContaining("allowed-resources")
			.withMessageNotContaining("s3cret");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> resolver.current(metadata(), URI.create("https://evil.example/mcp")));
	}

	private static AuthorizationServerMetadata metadata() {
		return new AuthorizationServerMetadata(ISSUER, URI.create(ISSUER + "/authorize"), URI.create(ISSUER + "/token"),
				null, null, List.of("S256"), Set.of(), List.of(), Set.of(), true, false, null, null, Set.of(),
				AuthorizationServerMetadata.Source.OAUTH_METADATA);
	}

}
