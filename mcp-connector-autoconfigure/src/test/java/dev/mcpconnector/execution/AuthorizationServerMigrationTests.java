package dev.mcpconnector.execution;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestModernPeer;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * SEP-2352 with real servers on loopback: the 2026-07-28 TypeScript SDK v2 peer is authorized by
 * one demo Spring Authorization Server, then its protected-resource metadata names another. The
 * user's next call is refused; the authorization it asks for goes to the new server with a
 * registration made there (never the previous server's client id), the previous grant is
 * revoked at the server that issued it and dropped, and after consent at the new server the
 * call runs with its token.
 */
@SpringBootTest(classes = TestApplication.class)
class AuthorizationServerMigrationTests {

	private static final URI CALLBACK = URI.create("http://127.0.0.1/callback");

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static DemoServer before;

	private static DemoServer after;

	private static TestModernPeer peer;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@BeforeAll
	static void start() {
		DemoServerSettings settings = DemoServerSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(5)).build();
		before = DemoServer.start(settings);
		after = DemoServer.start(settings);
		peer = TestModernPeer.start(before);
	}

	@AfterAll
	static void stop() {
		if (peer != null) {
			peer.close();
		}
		if (after != null) {
			after.close();
		}
		if (before != null) {
			before.close();
		}
	}

	@Autowired
	McpAuthorizationService authorization;

	@Autowired
	McpConnectionService connections;

	@Autowired
	McpToolExecutor executor;

	@Test
	void aNewAuthorizationServerGetsItsOwnRegistrationAndThePreviousGrantIsRevokedAndDropped() {
		McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
		McpAuthorizationService.AuthorizationStart start = this.authorization.connect(alice,
				NewConnection.of(peer.mcpUrl()), null, CALLBACK);
		assertThat(start.authorizationUrl().toString()).startsWith(before.issuer() + "/oauth2/authorize");
		String previousClient = DemoBrowser.queryParameter(start.authorizationUrl(), "client_id");
		UUID id = start.connection().id();
		consent(alice, start.authorizationUrl());
		assertThat(text(this.executor.callTool(alice, id, "whoami", Map.of()))).isEqualTo("alice");
		String previousRefreshToken = this.connections.findCredentials(alice, id).orElseThrow().refreshToken();

		peer.trust(after);
		long registrations = after.counters().registrationRequests();
		long revocations = before.counters().revocationRequests();
		AuthorizationRequiredException refused = catchThrowableOfType(AuthorizationRequiredException.class,
				() -> this.executor.callTool(alice, id, "whoami", Map.of()));
		assertThat(refused).as("a token of the previous server is refused").isNotNull();
		assertThat(refused.isStepUp()).isFalse();
		assertThat(this.connections.get(alice, id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);

		URI url = this.authorization.authorize(alice, id, refused.challenge(), null, CALLBACK).authorizationUrl();
		assertThat(url.toString()).startsWith(after.issuer() + "/oauth2/authorize");
		assertThat(after.counters().registrationRequests() - registrations).as("registrations at the new server")
			.isEqualTo(1);
		assertThat(DemoBrowser.queryParameter(url, "client_id")).isNotBlank().isNotEqualTo(previousClient);
		assertThat(this.connections.findCredentials(alice, id)).as("the previous grant").isEmpty();
		assertThat(before.counters().revocationRequests() - revocations)
			.as("revocations of the previous grant at the server that issued it")
			.isPositive();
		assertThat(after.counters().revocationRequests()).as("revocations at the new server").isZero();
		assertThat(after.counters().refreshTokenGrants()).as("the previous refresh token never reaches the new server")
			.isZero();

		consent(alice, url);
		assertThat(this.connections.get(alice, id).issuer()).isEqualTo(after.issuer());
		assertThat(this.connections.findCredentials(alice, id).orElseThrow().refreshToken())
			.isNotEqualTo(previousRefreshToken);
		assertThat(text(this.executor.callTool(alice, id, "whoami", Map.of()))).isEqualTo("alice");
		assertThat(text(this.executor.callTool(alice, id, "echo", Map.of("message", "moved")))).isEqualTo("echo: moved");
	}

	private void consent(McpOwner owner, URI authorizationUrl) {
		TestModernPeer.consent(this.authorization, owner, "alice", authorizationUrl);
	}

	private static String text(McpSchema.CallToolResult result) {
		assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
