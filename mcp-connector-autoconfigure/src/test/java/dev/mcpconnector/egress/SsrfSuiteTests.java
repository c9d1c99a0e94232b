package dev.mcpconnector.egress;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.test.Sentinel;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import dev.mcpconnector.test.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * SSRF suite. The production egress policy (https only, no internal addresses) with one
 * allowlisted host, 127.0.0.2, where a malicious MCP server and authorization server run over
 * HTTPS. Every crafted URL is fed in at every hop the connector follows: the server URL a user
 * types, the challenge's {@code resource_metadata}, the resource metadata's authorization server,
 * a redirect from a metadata URL, the registration and token endpoints, and the authorization
 * endpoint handed to the browser. A sentinel on 127.0.0.1 and ::1 records every connection: none
 * may arrive, and every fetch hop must be refused. The allow-list names the peer's host and port:
 * another port on 127.0.0.2 has a sentinel of its own. A second allowlisted "internal" peer on
 * 127.0.0.2 serves its own issuer, and is never the token or registration endpoint of another.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
@Import(SsrfSuiteTests.StrictEgress.class)
class SsrfSuiteTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private static Sentinel sentinel;

	private static TestOAuthPeer peer;

	/** On the allow-listed host 127.0.0.2, on a port the allow-list does not name. */
	private static Sentinel otherPort;

	/** An allow-listed internal authorization server with an MCP server of its own. */
	private static TestOAuthPeer internal;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", TestKeys::newBase64Key);
		registry.add("mcp.connector.egress.allow-insecure-loopback", () -> "false");
		registry.add("mcp.connector.egress.allowed-hosts",
				() -> "127.0.0.2:" + peer.port() + ",127.0.0.2:" + internal.port());
	}

	@BeforeAll
	static void start() {
		sentinel = new Sentinel();
		otherPort = new Sentinel("127.0.0.2");
		peer = new TestOAuthPeer("127.0.0.2", TestTls.get().serverContext());
		internal = new TestOAuthPeer("127.0.0.2", TestTls.get().serverContext());
	}

	@AfterAll
	static void stop() {
		peer.close();
		internal.close();
		sentinel.close();
		otherPort.close();
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	dev.mcpconnector.registration.ClientRegistrationStore registrations;

	enum Hop {

		SERVER_URL, RESOURCE_METADATA, AUTHORIZATION_SERVER, METADATA_REDIRECT, REGISTRATION_ENDPOINT, TOKEN_ENDPOINT,
		AUTHORIZATION_ENDPOINT

	}

	@Test
	void craftedUrlsAtEveryHopAreRefusedAndNeverReachTheSentinel() throws Exception {
		List<String> urls = craftedUrls(sentinel.port());
		assertThat(urls).hasSizeGreaterThanOrEqualTo(40);
		int tried = 0;
		int refused = 0;
		int handedToBrowser = 0;
		List<String> failures = new ArrayList<>();
		for (Hop hop : Hop.values()) {
			for (String url : urls) {
				tried++;
				int before = sentinel.connections() + otherPort.connections();
				Outcome outcome = attempt(hop, url);
				reset();
				if (sentinel.connections() + otherPort.connections() != before) {
					failures.add(hop + " " + url + " reached the sentinel");
				}
				if (outcome == Outcome.REFUSED) {
					refused++;
				}
				else if (hop == Hop.AUTHORIZATION_ENDPOINT && url.startsWith("https://")) {
					// Only the user's browser ever goes there; the server never fetches it.
					handedToBrowser++;
				}
				else {
					failures.add(hop + " " + url + " was not refused");
				}
			}
		}
		System.out.printf("[SSRF suite] %d URLs x %d hops: tried %d, refused %d, handed to the browser only %d,"
				+ " reached the sentinel %d%n", urls.size(), Hop.values().length, tried, refused, handedToBrowser,
				sentinel.connections() + otherPort.connections());
		assertThat(failures).isEmpty();
		assertThat(sentinel.connections()).isZero();
		assertThat(otherPort.connections()).isZero();
	}

	/**
	 * The allow-list opens 127.0.0.2 on the internal peer's port for the authorization server
	 * that lives there; another issuer (the malicious peer, allow-listed too) that names it as
	 * its token, registration or revocation endpoint is refused before anything is sent there.
	 * The internal peer's own issuer still works with its own endpoints.
	 */
	@Test
	void anAllowlistedInternalHostIsNoEndpointOfAnotherIssuer() throws Exception {
		List<Runnable> roles = List.of(() -> peer.tokenEndpoint = internal.issuer() + "/token", () -> {
			this.registrations.delete(peer.issuer());
			peer.registrationEndpoint = internal.issuer() + "/register";
		});
		int tried = 0;
		int refused = 0;
		try {
			for (Runnable role : roles) {
				role.run();
				String alice = "alice-" + UUID.randomUUID();
				MockHttpServletResponse connect = connect(alice, peer.mcpUrl());
				tried++;
				if (connect.getStatus() == 422 && connect.getContentAsString().contains("allow-listed")) {
					refused++;
				}
				else if (connect.getStatus() == 201) {
					JsonNode body = JsonMapper.shared().readTree(connect.getContentAsString());
					URI redirect = TestOAuthPeer.authorizeRedirect(
							URI.create(body.get("authorizationUrl").asString()), TestTls.get().clientContext());
					this.mvc.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(alice))
						.accept(MediaType.APPLICATION_JSON));
				}
				reset();
			}
		}
		finally {
			reset();
		}
		long reached = internal.requests().stream()
			.filter((request) -> request.endsWith("/token") || request.endsWith("/register"))
			.count();
		System.out.printf("[SSRF suite] allow-listed internal endpoints named by another issuer: tried %d, refused %d,"
				+ " requests that reached it %d%n", tried, refused, reached);
		assertThat(reached).isZero();
		assertThat(refused).isEqualTo(tried);
		MockHttpServletResponse own = connect("alice-" + UUID.randomUUID(), internal.mcpUrl());
		assertThat(own.getStatus()).isEqualTo(201);
		assertThat(internal.requests()).contains("POST /register");
	}

	/**
	 * Also with the allowlisted peer speaking only 2026-07-28: the connect probe is then a
	 * {@code server/discover} that meets the same 401, and every later hop is the same OAuth
	 * discovery, so the crafted URLs above need no second run.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "2025-11-25", "2026-07-28" })
	void theAllowlistedPeerItselfWorks(String revision) throws Exception {
		peer.modern = revision.equals("2026-07-28");
		try {
			String alice = "alice-" + UUID.randomUUID();
			MockHttpServletResponse response = connect(alice, peer.mcpUrl());
			assertThat(response.getStatus()).isEqualTo(201);
			JsonNode body = JsonMapper.shared().readTree(response.getContentAsString());
			assertThat(body.get("authorizationUrl").asString()).startsWith(peer.issuer());
		}
		finally {
			peer.modern = false;
		}
	}

	/**
	 * A name that does not resolve, a private address and a name that resolves to one are
	 * refused alike, the host aside: the same code and words from the connect endpoint, from
	 * the egress client and from the tunnel, so the connector cannot be used to learn which
	 * internal names exist.
	 */
	@Test
	void unresolvableNameAndRefusedInternalNameAreRefusedAlike() throws Exception {
		String missing = "missing-" + UUID.randomUUID() + ".invalid";
		MockHttpServletResponse unresolvable = connect("alice-" + UUID.randomUUID(), "https://" + missing + "/mcp");
		MockHttpServletResponse internal = connect("alice-" + UUID.randomUUID(), "https://10.0.0.5/mcp");
		JsonNode unresolvableProblem = JsonMapper.shared().readTree(unresolvable.getContentAsString());
		JsonNode internalProblem = JsonMapper.shared().readTree(internal.getContentAsString());
		assertThat(unresolvable.getStatus()).isEqualTo(internal.getStatus());
		assertThat(unresolvableProblem.get("type")).isEqualTo(internalProblem.get("type"));
		assertThat(unresolvableProblem.get("detail").asString().replace(missing, "HOST"))
			.isEqualTo(internalProblem.get("detail").asString().replace("10.0.0.5", "HOST"));

		EgressPolicy.HostResolver resolver = (host) -> {
			if ("internal.example".equals(host)) {
				return new InetAddress[] { InetAddress.getByAddress(new byte[] { 10, 0, 0, 5 }) };
			}
			throw new UnknownHostException(host);
		};
		List<String> answers = new ArrayList<>();
		try (EgressHttpClient http = new EgressHttpClient(new EgressPolicy(false, Set.of(), resolver),
				Duration.ofSeconds(2), Duration.ofSeconds(5), 1024 * 1024, 3, TestTls.get().clientContext())) {
			for (String host : List.of("internal.example", "missing.example")) {
				try {
					http.get(URI.create("https://" + host + "/mcp"), Map.of());
					answers.add(host + " reached");
				}
				catch (McpConnectorException ex) {
					answers.add(ex.error() + " " + ex.getMessage().replace(host, "HOST"));
				}
				try (Socket socket = new Socket(http.tunnel().address().getAddress(), http.tunnel().address().getPort())) {
					socket.setSoTimeout(5000);
					socket.getOutputStream().write(("CONNECT " + host + ":443 HTTP/1.1\r\nProxy-Authorization: "
							+ http.tunnel().proxyAuthorization() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
					answers.add("tunnel " + new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
				}
			}
		}
		System.out.printf("[SSRF suite] unresolvable and internal names: connect %d/%d, egress client and tunnel %s%n",
				unresolvable.getStatus(), internal.getStatus(), answers);
		assertThat(answers.get(0)).startsWith(McpConnectorErrorCode.EGRESS_DENIED.toString()).isEqualTo(answers.get(2));
		assertThat(answers.get(1)).isEqualTo(answers.get(3));
	}

	private enum Outcome {

		REFUSED, ACCEPTED

	}

	private Outcome attempt(Hop hop, String url) throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		MockHttpServletResponse response;
		switch (hop) {
			case SERVER_URL -> response = connect(alice, url);
			case RESOURCE_METADATA -> {
				peer.resourceMetadataUrl = url;
				response = connect(alice, peer.mcpUrl());
			}
			case AUTHORIZATION_SERVER -> {
				peer.authorizationServer = url;
				response = connect(alice, peer.mcpUrl());
			}
			case METADATA_REDIRECT -> {
				peer.resourceMetadataRedirect = url;
				response = connect(alice, peer.mcpUrl());
			}
			case REGISTRATION_ENDPOINT -> {
				// A stored registration would be reused without a request: make the connector register.
				this.registrations.delete(peer.issuer());
				peer.registrationEndpoint = url;
				response = connect(alice, peer.mcpUrl());
			}
			case AUTHORIZATION_ENDPOINT -> {
				peer.authorizationEndpoint = url;
				response = connect(alice, peer.mcpUrl());
			}
			case TOKEN_ENDPOINT -> {
				peer.tokenEndpoint = url;
				MockHttpServletResponse connect = connect(alice, peer.mcpUrl());
				if (connect.getStatus() != 201) {
					return refusedOrNot(connect);
				}
				JsonNode body = JsonMapper.shared().readTree(connect.getContentAsString());
				URI redirect = TestOAuthPeer.authorizeRedirect(URI.create(body.get("authorizationUrl").asString()),
						TestTls.get().clientContext());
				response = this.mvc
					.perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery())).with(user(alice))
						.accept(MediaType.APPLICATION_JSON))
					.andReturn()
					.getResponse();
				UUID id = UUID.fromString(body.get("id").asString());
				assertThat(this.repository.findCredentials(McpOwner.of(alice), id)).isEmpty();
			}
			default -> throw new IllegalStateException();
		}
		if (hop != Hop.TOKEN_ENDPOINT && response.getStatus() < 300) {
			return Outcome.ACCEPTED;
		}
		return refusedOrNot(response);
	}

	private static Outcome refusedOrNot(MockHttpServletResponse response) throws Exception {
		if (response.getStatus() >= 400 && response.getContentType() != null
				&& response.getContentType().contains("problem+json")) {
			String body = response.getContentAsString();
			assertThat(body).doesNotContain("\"access_token\"").doesNotContain("at java.");
			return Outcome.REFUSED;
		}
		return Outcome.ACCEPTED;
	}

	private MockHttpServletResponse connect(String user, String serverUrl) throws Exception {
		return this.mvc
			.perform(post("/api/mcp/connections").with(user(user))
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content(JsonMapper.shared().writeValueAsString(java.util.Map.of("serverUrl", serverUrl))))
			.andReturn()
			.getResponse();
	}

	private static void reset() {
		peer.resourceMetadataUrl = peer.issuer() + "/.well-known/oauth-protected-resource/mcp";
		peer.authorizationServer = peer.issuer();
		peer.resourceMetadataRedirect = null;
		peer.registrationEndpoint = peer.issuer() + "/register";
		peer.tokenEndpoint = peer.issuer() + "/token";
		peer.authorizationEndpoint = peer.issuer() + "/authorize";
	}

	/** Loopback, private, link-local, metadata and odd-notation targets; nothing public. */
	static List<String> craftedUrls(int p) {
		return List.of("https://127.0.0.1:" + p + "/mcp", "http://127.0.0.1:" + p + "/mcp",
				"https://localhost:" + p + "/mcp", "http://localhost:" + p + "/mcp", "https://[::1]:" + p + "/mcp",
				"http://[::1]:" + p + "/", "https://[::ffff:127.0.0.1]:" + p + "/mcp",
				"https://[::ffff:7f00:1]:" + p + "/mcp", "https://[0:0:0:0:0:ffff:127.0.0.1]:" + p + "/mcp",
				"https://[::127.0.0.1]:" + p + "/mcp", "https://127.1:" + p + "/mcp", "https://127.0.1:" + p + "/mcp",
				"https://2130706433:" + p + "/mcp", "https://127.000.000.001:" + p + "/mcp",
				"https://0.0.0.0:" + p + "/mcp", "https://0:" + p + "/mcp", "https://[::]:" + p + "/mcp",
				"https://127.0.0.1:" + p + "/x%0d%0aHost:%20evil", "https://10.0.0.1/mcp",
				"https://10.255.255.254:8443/mcp", "https://172.16.0.1/mcp", "https://172.31.255.254/mcp",
				"https://192.168.0.1/mcp", "https://192.168.1.1:8080/admin", "https://169.254.169.254/latest/meta-data/",
				"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
				"https://169.254.170.2/v2/credentials", "https://[fd00:ec2::254]/latest/meta-data/",
				"https://100.64.0.1/mcp", "https://100.127.255.254/mcp", "https://[fc00::1]/mcp",
				"https://[fd12:3456:789a::1]/mcp", "https://[fe80::1]/mcp", "https://224.0.0.1/mcp",
				"https://239.255.255.250/mcp", "https://255.255.255.255/mcp", "https://198.18.0.1/mcp",
				"https://[::ffff:10.0.0.1]/mcp", "https://[::ffff:169.254.169.254]/latest/meta-data/",
				"https://[::ffff:a9fe:a9fe]/latest/meta-data/", "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
				"https://[2002:7f00:1::]:" + p + "/mcp", "https://[2002:a9fe:a9fe::]/latest/meta-data/",
				"https://user:secret@127.0.0.2:" + peer.port() + "/mcp", "https://127.0.0.2:" + otherPort.port() + "/mcp",
				"https://127.0.0.2/mcp", "file:///etc/passwd",
				"gopher://127.0.0.1:" + p + "/_x", "ftp://127.0.0.1:" + p + "/x", "javascript:alert(1)",
				"data:text/plain,hello", "/relative/mcp", "//127.0.0.1:" + p + "/mcp", "https://",
				"https://127.0.0.1:" + p + "\u0000/mcp");
	}

	/** The production policy, plus trust in the test peer's self-signed certificate. */
	@TestConfiguration(proxyBeanMethods = false)
	static class StrictEgress {

		@Bean
		EgressHttpClient testEgressHttpClient(EgressPolicy policy) {
			return new EgressHttpClient(policy, Duration.ofSeconds(2), Duration.ofSeconds(5), 1024 * 1024, 3,
					TestTls.get().clientContext());
		}

	}

}
