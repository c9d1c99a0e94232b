package dev.mcpconnector.authorization;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.RegisteredClient;
import dev.mcpconnector.registration.StoredClientRegistration;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestOAuthPeer;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A full flow with every logger at DEBUG (connect, consent, callback, tools, a refresh, a refused
 * callback, revoke and delete), with every log line, response body and header, exception
 * message and {@code toString()} captured: none holds the access token, refresh token, code,
 * PKCE verifier, client secret or OpenID Connect ID token (the peer is an OpenID provider, so the
 * flow carries ID tokens on the callback and on refresh), and no log line holds the nonce (it is
 * in the authorization URL the connect response hands the browser, and nowhere else). Once
 * against a 2025-11-25 server and once against one that speaks only 2026-07-28 (the SDK's modern
 * transport and client log at DEBUG too). A gateway token likewise appears only in the one
 * response that creates it: not in a log line, a listing, an audit row, a stored row or a
 * refusal.
 */
@SpringBootTest(classes = TestApplication.class, properties = "mcp.connector.gateway.enabled=true")
@AutoConfigureMockMvc
class SecretHygieneTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerWithLoopbackPeers(registry);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	dev.mcpconnector.connection.McpConnectionService connections;

	@Autowired
	McpConnectionRepository repository;

	@Autowired
	ClientRegistrationStore registrations;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	McpAuthorizationService authorization;

	private static final String SENSITIVE_ARGUMENT = "sentinel-argument-" + UUID.randomUUID();

	@Autowired
	@org.springframework.beans.factory.annotation.Qualifier("mcpConnectorAuditLog")
	dev.mcpconnector.audit.AuditLog auditLog;

	private final List<String> captured = new CopyOnWriteArrayList<>();

	private final List<String> logLines = new CopyOnWriteArrayList<>();

	private final CapturingAppender appender = new CapturingAppender(this.captured, this.logLines);

	private Level previousLevel;

	private TestOAuthPeer peer;

	@BeforeEach
	void captureEverythingAtDebug() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.previousLevel = root.getLevel();
		LoggerContext context = root.getLoggerContext();
		context.getLoggerList().forEach((logger) -> {
			if (logger.getLevel() != null) {
				logger.setLevel(Level.DEBUG);
			}
		});
		root.setLevel(Level.DEBUG);
		this.appender.setContext(context);
		this.appender.start();
		root.addAppender(this.appender);
		// DEBUG goes to the capture only; the console keeps its own threshold.
		root.iteratorForAppenders().forEachRemaining((a) -> {
			if (a != this.appender) {
				a.addFilter(new WarnOnly());
			}
		});
		this.peer = new TestOAuthPeer();
		this.peer.accessTokenLifetime = 1;
		this.peer.oidc = true;
	}

	@AfterEach
	void restore() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(this.appender);
		root.setLevel(this.previousLevel);
		root.iteratorForAppenders().forEachRemaining((a) -> a.clearAllFilters());
		root.getLoggerContext().getLoggerList().forEach((logger) -> {
			if (logger.getName().startsWith("dev.mcpconnector")) {
				logger.setLevel(Level.INFO);
			}
		});
		this.peer.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "2025-11-25", "2026-07-28" })
	void fullFlowAtDebugLeaksNoSecret(String revision) throws Exception {
		this.peer.modern = revision.equals("2026-07-28");
		String alice = "alice-" + UUID.randomUUID();
		JsonNode connect = json(perform(post("/api/mcp/connections").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"serverUrl\":\"" + this.peer.mcpUrl() + "\"}")));
		UUID id = UUID.fromString(connect.get("id").asString());
		URI redirect = TestOAuthPeer.authorizeRedirect(URI.create(connect.get("authorizationUrl").asString()));

		// A refused callback first: a wrong state must not echo the code anywhere.
		perform(get(URI.create(redirect.getPath() + "?" + redirect.getRawQuery().replaceAll("state=[^&]*", "state=forged")))
			.with(user(alice))
			.accept(MediaType.APPLICATION_JSON));
		// The real one, then the same again (replay).
		URI callback = URI.create(redirect.getPath() + "?" + redirect.getRawQuery());
		perform(get(callback).with(user(alice)).accept(MediaType.APPLICATION_JSON));
		perform(get(callback).with(user(alice)).accept(MediaType.APPLICATION_JSON));

		// Tools: the stored token is short-lived, so the session refreshes it first.
		perform(get("/api/mcp/connections/" + id + "/tools").with(user(alice)));
		perform(post("/api/mcp/connections/" + id + "/tools/echo").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"hi\",\"password\":\"" + SENSITIVE_ARGUMENT + "\"}"));
		perform(get("/api/mcp/connections/" + id).with(user(alice)));
		perform(get("/api/mcp/connections").with(user(alice)));
		assertThat(this.peer.tokenRequests()).extracting((r) -> r.get("grant_type")).contains("authorization_code",
				"refresh_token");
		// ID tokens on the callback and on the refresh, both checked and accepted.
		assertThat(this.peer.idTokens()).hasSizeGreaterThanOrEqualTo(2);
		assertThat(this.repository.find(McpOwner.of(alice), id).orElseThrow().remoteAccount()).isNotNull();

		McpOwner owner = McpOwner.of(alice);
		ConnectionCredentials credentials = this.repository.findCredentials(owner, id).orElseThrow();
		this.captured.add(credentials.toString());
		this.registrations.find(this.peer.issuer()).ifPresent((r) -> {
			this.captured.add(r.toString());
			this.captured.add(RegisteredClient.of(r).toString());
		});
		this.captured.add(new StoredClientRegistration(this.peer.issuer(), "c", this.peer.clientSecret,
				dev.mcpconnector.registration.ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
				ClientRegistrationSource.DYNAMIC, null, null, Instant.now()).toString());
		this.captured.add(new PendingAuthorization("h", owner, id, this.peer.tokenRequests().get(0).get("code_verifier"),
				this.peer.issuer(), Set.of(), "http://x", null, Instant.now(), Instant.now()).toString());
		this.captured.add(new CallbackParameters(this.peer.code, "s", null, null, null).toString());
		this.captured.add(new TokenResult(credentials.accessToken(), credentials.refreshToken(), "Bearer", null, Set.of(),
				null).toString());
		this.captured.addAll(this.jdbc.queryForList("select t::text from mcp_connection_credentials t", String.class));

		perform(delete("/api/mcp/connections/" + id).with(user(alice)).with(csrf()));
		assertThat(this.peer.revocations()).isEqualTo(2);

		// The audit log: every event of the flow, and no secret and no argument value in any row.
		dev.mcpconnector.audit.TestAuditLogs.flush(this.auditLog);
		List<String> auditRows = this.jdbc.queryForList("select t::text from mcp_audit_event t where owner_id = ?",
				String.class, alice);
		assertThat(auditRows).anyMatch((row) -> row.contains("TOOL_CALL")).anyMatch((row) -> row.contains("REVOKE"));
		assertThat(auditRows).noneMatch((row) -> row.contains(SENSITIVE_ARGUMENT));
		this.captured.addAll(auditRows);

		List<String> secrets = new ArrayList<>(this.peer.secrets());
		secrets.add(credentials.accessToken());
		secrets.add(credentials.refreshToken());
		assertThat(secrets).allSatisfy((s) -> assertThat(s).hasSizeGreaterThan(20));
		long debugLines = this.captured.size();
		List<String> leaks = new ArrayList<>();
		for (String text : this.captured) {
			for (String secret : secrets) {
				if (text.contains(secret)) {
					leaks.add(secret.substring(0, 12) + "… in: " + text.substring(0, Math.min(200, text.length())));
				}
			}
		}
		String nonce = this.peer.lastNonce();
		assertThat(nonce).hasSizeGreaterThan(20);
		for (String line : this.logLines) {
			// The front channel itself is not the connector: the test's browser hop to the peer's
			// authorization endpoint (the connector never requests it) and the peer's own server log.
			boolean frontChannel = line.startsWith("com.sun.net.httpserver")
					|| (line.startsWith("jdk.internal.httpclient") && line.contains("/authorize?"));
			if (!frontChannel && line.contains(nonce)) {
				leaks.add("nonce in: " + line.substring(0, Math.min(200, line.length())));
			}
		}
		System.out.println("[SecretHygieneTests] captured " + debugLines + " log lines, bodies and strings; searched "
				+ secrets.size() + " secrets; leaked " + leaks.size());
		assertThat(debugLines).isGreaterThan(100);
		assertThat(leaks).isEmpty();
	}

	/**
	 * A server's JSON-RPC error text is escaped before the connector logs it: a message with CR,
	 * LF, an ANSI escape and a bell cannot start a log line of its own (log injection). The
	 * text is still there, escaped, in the connector's log line and in the Problem's detail.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "2025-11-25", "2026-07-28" })
	void upstreamErrorTextIsEscapedBeforeItIsLogged(String revision) throws Exception {
		this.peer.modern = revision.equals("2026-07-28");
		this.peer.accessTokenLifetime = 3600;
		String alice = "alice-" + UUID.randomUUID();
		UUID id = this.peer.connectAndConsent(this.authorization, McpOwner.of(alice));
		String forged = "2026-12-04 20:00:00.000 ERROR [main] forged-" + UUID.randomUUID();
		// JSON escapes: the server's message holds a real CR LF, ESC and BEL.
		this.peer.toolCallErrorMessage = "tool failed\\r\\n" + forged + "\\u001b[31m\\u0007";
		MockHttpServletResponse response = perform(post("/api/mcp/connections/" + id + "/tools/echo")
			.with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"message\":\"hi\"}"));
		assertThat(response.getStatus()).isEqualTo(502);
		String detail = json(response).get("detail").asString();
		assertThat(detail).contains(forged).contains("\\u000d\\u000a").doesNotContain("\r", "\n", "\u001b", "\u0007");
		List<String> connectorLines = this.logLines.stream()
			.filter((line) -> line.startsWith("dev.mcpconnector") && line.contains(forged))
			.toList();
		System.out.println("[SecretHygieneTests] " + revision + ": upstream error text with CR LF in "
				+ connectorLines.size() + " connector log line(s), escaped in all");
		assertThat(connectorLines).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).doesNotContain("\r", "\n", "\u001b", "\u0007"));
	}

	@org.junit.jupiter.api.Test
	void gatewayTokenAtDebugAppearsOnlyInTheResponseThatCreatesIt() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		this.connections.create(McpOwner.of(alice), new dev.mcpconnector.connection.NewConnection(
				"http://127.0.0.1:1/mcp", "Desk", null), dev.mcpconnector.connection.ConnectionStatus.ACTIVE);
		// The creating response is the one place the secret belongs: not captured.
		JsonNode created = json(this.mvc.perform(post("/api/mcp/gateway/tokens").with(user(alice))
			.with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"hosted\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}"))
			.andReturn()
			.getResponse());
		String secret = created.get("secret").asString();
		String id = created.at("/token/id").asString();
		assertThat(secret).startsWith("mcpgw_").hasSizeGreaterThan(40);

		perform(get("/api/mcp/gateway/tokens").with(user(alice)));
		MockHttpServletResponse used = perform(gateway(secret));
		assertThat(used.getStatus()).isEqualTo(200);
		perform(get("/api/mcp/connections").header("Authorization", "Bearer " + secret));
		perform(delete("/api/mcp/gateway/tokens/" + id).with(user(alice)).with(csrf()));
		MockHttpServletResponse refused = perform(gateway(secret));
		assertThat(refused.getStatus()).isEqualTo(401);

		dev.mcpconnector.audit.TestAuditLogs.flush(this.auditLog);
		List<String> auditRows = this.jdbc.queryForList("select t::text from mcp_audit_event t where owner_id = ?",
				String.class, alice);
		assertThat(auditRows).anyMatch((row) -> row.contains("GATEWAY_TOKEN") && row.contains("used"));
		this.captured.addAll(auditRows);
		this.captured.addAll(this.jdbc.queryForList("select t::text from mcp_gateway_token t", String.class));
		this.captured.add(created.toString().replace(secret, ""));

		List<String> leaks = this.captured.stream().filter((text) -> text.contains(secret)).toList();
		System.out.println("[SecretHygieneTests] gateway token: captured " + this.captured.size()
				+ " log lines, bodies and rows; leaked " + leaks.size());
		assertThat(this.captured.size()).isGreaterThan(20);
		assertThat(leaks).isEmpty();
	}

	private static MockHttpServletRequestBuilder gateway(String secret) {
		return post("/api/mcp/gateway/Desk/mcp").with(csrf())
			.header("Authorization", "Bearer " + secret)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.content("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		this.captured.add(response.getContentAsString());
		for (String name : response.getHeaderNames()) {
			this.captured.add(name + ": " + String.join(",", response.getHeaders(name)));
		}
		return response;
	}

	private static JsonNode json(MockHttpServletResponse response) throws Exception {
		return JsonMapper.shared().readTree(response.getContentAsString());
	}

	private static final class WarnOnly extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {

		@Override
		public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
			return event.getLevel().isGreaterOrEqual(Level.WARN) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
					: ch.qos.logback.core.spi.FilterReply.DENY;
		}

	}

	private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {

		private final List<String> sink;

		private final List<String> logLines;

		CapturingAppender(List<String> sink, List<String> logLines) {
			this.sink = sink;
			this.logLines = logLines;
		}

		@Override
		protected void append(ILoggingEvent event) {
			StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
			event.getMDCPropertyMap().forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
			for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
				text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
				for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
					text.append(' ').append(frame.getSTEAsString());
				}
			}
			this.sink.add(text.toString());
			this.logLines.add(text.toString());
		}

	}

}
