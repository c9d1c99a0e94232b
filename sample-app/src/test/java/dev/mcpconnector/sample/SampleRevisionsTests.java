package dev.mcpconnector.sample;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoMcpRevisions;
import dev.mcpconnector.demo.DemoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, "the demo server offers both revisions and the sample app works against each": the
 * sample as started by its README (demo profile, embedded PostgreSQL, the in-process demo server)
 * against the demo server pinned to 2025-11-25 and then to 2026-07-28. Over real HTTP, as a
 * script would (HTTP Basic, the CSRF cookie echoed in {@code X-XSRF-TOKEN}): connect, consent at
 * the demo's authorization server, the callback, tools listed and one called, the REST
 * {@code protocolVersion} the pinned one, and a delete that revokes the grant at the demo.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo-server.port=0")
@ActiveProfiles("demo")
class SampleRevisionsTests {

	private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

	private static final Pattern AUTHORIZATION_URL = Pattern.compile("\"authorizationUrl\":\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	DemoServer demoServer;

	@AfterEach
	void bothAgain() {
		this.demoServer.mcpRevisions(DemoMcpRevisions.BOTH);
	}

	@ParameterizedTest(name = "demo server pinned to {1}")
	@CsvSource({ "LEGACY, 2025-11-25", "MODERN, 2026-07-28" })
	void connectConsentListCallAndRevokeAgainstTheDemoServerPinnedTo(DemoMcpRevisions pinned, String revision) {
		this.demoServer.mcpRevisions(pinned);
		String token = SampleApplicationTests.xsrfCookie(client().get().uri("/sample/config").retrieve().toBodilessEntity());
		long modernPosts = this.demoServer.counters().modernMcpPosts();

		String created = client(token).post()
			.uri("/api/mcp/connections")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"serverUrl\":\"" + this.demoServer.mcpUrl() + "\",\"name\":\"demo " + revision + "\"}")
			.retrieve()
			.body(String.class);
		String id = group(ID, created);
		URI authorizationUrl = URI.create(group(AUTHORIZATION_URL, created));
		assertThat(authorizationUrl.toString()).startsWith(this.demoServer.issuer() + "/oauth2/authorize");

		URI redirect = new DemoBrowser("alice", "alice").authorize(authorizationUrl);
		assertThat(redirect.getPath()).isEqualTo("/api/mcp/oauth/callback");
		String outcome = client().get()
			.uri(redirect.getPath() + "?" + redirect.getRawQuery())
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.body(String.class);
		assertThat(outcome).contains("\"outcome\":\"authorized\"").contains("\"status\":\"ACTIVE\"");

		String tools = client().get().uri("/api/mcp/connections/" + id + "/tools").retrieve().body(String.class);
		assertThat(tools).contains("\"name\":\"echo\"").contains("\"name\":\"add\"");
		long echoCalls = this.demoServer.counters().toolCalls("echo");
		String result = client(token).post()
			.uri("/api/mcp/connections/" + id + "/tools/echo")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"message\":\"pinned to " + revision + "\"}")
			.retrieve()
			.body(String.class);
		assertThat(result).contains("pinned to " + revision);
		assertThat(this.demoServer.counters().toolCalls("echo")).isEqualTo(echoCalls + 1);

		String connection = client().get().uri("/api/mcp/connections/" + id).retrieve().body(String.class);
		assertThat(connection).contains("\"protocolVersion\":\"" + revision + "\"").contains("\"status\":\"ACTIVE\"");
		if (pinned == DemoMcpRevisions.LEGACY) {
			assertThat(this.demoServer.counters().modernMcpPosts()).as("requests the 2026-07-28 server served")
				.isEqualTo(modernPosts);
		}
		else {
			assertThat(this.demoServer.counters().modernMcpPosts()).isGreaterThan(modernPosts);
		}

		long revocations = this.demoServer.counters().revocationRequests();
		ResponseEntity<Void> deleted = client(token).delete()
			.uri("/api/mcp/connections/" + id)
			.retrieve()
			.toBodilessEntity();
		assertThat(deleted.getStatusCode().is2xxSuccessful()).isTrue();
		assertThat(this.demoServer.counters().revocationRequests()).isGreaterThan(revocations);
		int status = client().get()
			.uri("/api/mcp/connections/" + id)
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(404);
	}

	private static String group(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as("%s in %s", pattern, body).isTrue();
		return matcher.group(1);
	}

	private RestClient client() {
		return client(null);
	}

	/** alice over HTTP Basic; with a CSRF token, the cookie and its echo in X-XSRF-TOKEN. */
	private RestClient client(String csrfToken) {
		return RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeaders((headers) -> {
				headers.setBasicAuth("alice", "alice");
				if (csrfToken != null) {
					headers.add(HttpHeaders.COOKIE, "XSRF-TOKEN=" + csrfToken);
					headers.add("X-XSRF-TOKEN", csrfToken);
				}
			})
			.build();
	}

}
