package dev.mcpconnector.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.mcpconnector.demo.DemoServer;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.SubscriptionEvent;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the {@link TestModernPeer} with a client that is not ours either: the MCP Java SDK
 * 2.2.0's 2026-07-28 client ({@code io.modelcontextprotocol.modern}) with a token of the demo
 * server's authorization server. If these fail, the connector tests against the peer cannot mean
 * anything.
 */
class TestModernPeerTests {

	private static DemoServer demo;

	private static TestModernPeer peer;

	@BeforeAll
	static void start() {
		demo = DemoServer.start();
		peer = TestModernPeer.start(demo);
	}

	@AfterAll
	static void stop() {
		if (peer != null) {
			peer.close();
		}
		if (demo != null) {
			demo.close();
		}
	}

	@Test
	void discoverListAndCallWithATokenOfTheDemoAuthorizationServer() {
		String token = TestModernPeer.accessToken(demo, "alice", peer.mcpUrl(), "mcp:tools");
		McpSyncClient client = client(token, null);

		McpSchema.DiscoverResult discover = client.discover();
		assertThat(discover.supportedVersions()).contains("2026-07-28");
		assertThat(client.listTools().skipCache().list().tools()).extracting(McpSchema.Tool::name)
			.containsAll(TestModernPeer.TOOLS);
		assertThat(text(client.tool("echo").arguments(Map.of("message", "hi")).call())).isEqualTo("echo: hi");
		assertThat(text(client.tool("whoami").arguments(Map.of()).call())).isEqualTo("alice");
		assertThat(text(client.tool("tag").arguments(Map.of("tag", "blue")).call())).isEqualTo("tag: blue");
		assertThat(peer.received("tools/call")).isGreaterThanOrEqualTo(3);
	}

	@Test
	void noTokenOrATokenForAnotherResourceIs401WithTheMetadataOfTheDemoIssuer() throws Exception {
		assertThatThrownBy(() -> client(null, null).discover()).isInstanceOfSatisfying(McpHttpStatusException.class,
				(ex) -> {
					assertThat(ex.statusCode()).isEqualTo(401);
					assertThat(ex.headers().firstValue("WWW-Authenticate").orElseThrow())
						.contains("resource_metadata=\"" + peer.resourceMetadataUrl() + "\"")
						.contains("scope=\"mcp:tools\"");
				});
		String forDemo = TestModernPeer.accessToken(demo, "alice", demo.mcpUrl(), "mcp:tools");
		assertThatThrownBy(() -> client(forDemo, null).discover()).isInstanceOfSatisfying(McpHttpStatusException.class,
				(ex) -> assertThat(ex.statusCode()).isEqualTo(401));

		String metadata = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(URI.create(peer.resourceMetadataUrl())).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString())
			.body();
		tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.shared().readTree(metadata);
		assertThat(json.get("resource").asString()).isEqualTo(peer.mcpUrl());
		assertThat(json.get("authorization_servers").get(0).asString()).isEqualTo(demo.issuer());
	}

	@Test
	void aToolThatNeedsAnotherScopeIs403InsufficientScopeWithTheUnion() {
		String narrow = TestModernPeer.accessToken(demo, "alice", peer.mcpUrl(), "mcp:tools");
		assertThatThrownBy(() -> client(narrow, null).tool("read_report").arguments(Map.of()).call())
			.isInstanceOfSatisfying(McpHttpStatusException.class, (ex) -> {
				assertThat(ex.statusCode()).isEqualTo(403);
				assertThat(ex.headers().firstValue("WWW-Authenticate").orElseThrow())
					.contains("insufficient_scope")
					.contains("mcp:read");
			});
		String wide = TestModernPeer.accessToken(demo, "alice", peer.mcpUrl(), "mcp:tools mcp:read");
		assertThat(text(client(wide, null).tool("read_report").arguments(Map.of()).call()))
			.startsWith("report for alice");
	}

	@Test
	void inputRequiredAsksForAFormElicitationAndTheRetryCompletes() {
		String token = TestModernPeer.accessToken(demo, "bob", peer.mcpUrl(), "mcp:tools");
		List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
		McpSyncClient client = client(token, (request) -> {
			asked.add(request);
			return McpSchema.ElicitResult.accept(Map.of("confirmed", true));
		});
		assertThat(text(client.tool("confirm_action").arguments(Map.of("action", "deploy")).call()))
			.isEqualTo("deploy: confirmed");
		assertThat(asked).singleElement().satisfies((request) -> {
			assertThat(request.message()).isEqualTo("Really deploy?");
			assertThat(request.requestedSchema()).containsKey("properties");
		});
	}

	@Test
	void enablingAToolPublishesListChangedOnAnOpenListenStream() throws Exception {
		String token = TestModernPeer.accessToken(demo, "alice", peer.mcpUrl(), "mcp:tools");
		McpSyncClient client = client(token, null);
		CountDownLatch changed = new CountDownLatch(1);
		try (McpSyncClient.Listening listening = client.listen().toolsChanged().open((event) -> {
			if (event instanceof SubscriptionEvent.ToolsListChanged) {
				changed.countDown();
			}
		})) {
			awaitListening();
			client.tool("enable_extra").arguments(Map.of()).call();
			assertThat(changed.await(10, TimeUnit.SECONDS)).as("tools/list_changed arrived").isTrue();
			assertThat(client.listTools().skipCache().list().tools()).extracting(McpSchema.Tool::name)
				.contains("extra");
		}
		finally {
			client.tool("disable_extra").arguments(Map.of()).call();
		}
		assertThat(client.listTools().skipCache().list().tools()).extracting(McpSchema.Tool::name)
			.doesNotContain("extra");
	}

	/** The listen stream is opened asynchronously; give the peer a moment to register it. */
	private static void awaitListening() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (peer.received("subscriptions/listen") == 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		Thread.sleep(200);
	}

	private static McpSyncClient client(String token,
			io.modelcontextprotocol.modern.client.McpSyncElicitationHandler<McpSchema.ElicitFormRequest> elicitation) {
		HttpClientMcpTransport transport = HttpClientMcpTransport.builder(URI.create(peer.mcpUrl()))
			.requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) -> {
				if (token != null) {
					headers.set("Authorization", "Bearer " + token);
				}
			}))
			.build();
		McpClient.SyncBuilder builder = McpClient.sync(transport)
			.clientInfo(McpSchema.Implementation.builder("test-modern-peer-tests", "1").build())
			.roundTimeout(Duration.ofSeconds(10));
		if (elicitation != null) {
			builder.formElicitation(elicitation);
		}
		return builder.build();
	}

	private static String text(McpSchema.CallToolResult result) {
		assertThat(result.isError()).as("isError of %s", result).isNotEqualTo(Boolean.TRUE);
		return ((McpSchema.TextContent) result.content().get(0)).text();
	}

}
