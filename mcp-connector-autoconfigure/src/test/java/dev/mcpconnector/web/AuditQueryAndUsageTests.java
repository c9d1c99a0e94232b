package dev.mcpconnector.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.audit.TestAuditLogs;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import dev.mcpconnector.usage.UsageService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Reading the audit log and deriving usage from it: owner scoping, paging, filters, the
 * aggregates, and the REST endpoints' scopes.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AuditQueryAndUsageTests {

	private static final TestDatabase database = TestPostgres.newDatabase();

	private final String tenant = "t-" + UUID.randomUUID();

	private final McpOwner alice = McpOwner.of(this.tenant, "alice");

	private final McpOwner bob = McpOwner.of(this.tenant, "bob");

	private final McpOwner carol = McpOwner.of("other-" + UUID.randomUUID(), "carol");

	private final UUID connectionA = UUID.randomUUID();

	private final UUID connectionB = UUID.randomUUID();

	private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

	private final LocalDate day1 = this.today.minusDays(3);

	private final LocalDate day2 = this.today.minusDays(2);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.registerDataSource(registry);
		registry.add("mcp.connector.encryption.keys.k1", TestKeys::newBase64Key);
	}

	@Autowired
	DataSource dataSource;

	private AuditQuery query;

	private UsageService usage;

	private McpAuditController controller;

	@BeforeEach
	void seed() {
		this.query = new AuditQuery(this.dataSource);
		this.usage = new UsageService(this.dataSource);
		// The test's owners: principal name "alice" or "bob" in this test's tenant, carol elsewhere.
		OwnerResolver resolver = (authentication) -> switch (authentication.getName()) {
			case "carol" -> this.carol;
			default -> McpOwner.of(this.tenant, authentication.getName());
		};
		this.controller = new McpAuditController(this.query, this.usage, resolver, null, null);
		AuditLog log = TestAuditLogs.jdbc(this.dataSource);
		// alice, day 1, connection A, "search": latencies 10..100; 7 ok, 1 tool-error, 2 failed
		for (int i = 1; i <= 10; i++) {
			String outcome = (i <= 7) ? "ok" : (i == 8) ? "tool-error" : "failed";
			log.record(call(this.alice, noon(this.day1).plusSeconds(i), this.connectionA, "search", outcome,
					10L * i));
		}
		// alice, day 1, connection A, "fetch": one ok with 5 ms, one denied without latency
		log.record(call(this.alice, noon(this.day1), this.connectionA, "fetch", "ok", 5L));
		log.record(call(this.alice, noon(this.day1), this.connectionA, "fetch", "denied", null));
		// alice, day 2, connection B, "search"
		log.record(call(this.alice, noon(this.day2), this.connectionB, "search", "ok", 42L));
		// alice: outside the range, and not a tool call
		log.record(call(this.alice, noon(this.today.minusDays(10)), this.connectionA, "search", "ok", 1L));
		log.record(new AuditEvent(noon(this.day1), this.alice, AuditEvent.Type.CONNECT, this.connectionA, null, "ok",
				null, null, null, null));
		// bob and carol, day 1
		log.record(call(this.bob, noon(this.day1), UUID.randomUUID(), "search", "ok", 1_000L));
		log.record(call(this.carol, noon(this.day1), UUID.randomUUID(), "search", "failed", 7L));
		TestAuditLogs.flush(log);
	}

	@Test
	void ownerQueriesSeeOnlyTheOwnersEventsNewestFirst() {
		List<AuditQuery.Row> alices = this.query.forOwner(this.alice, null, 100, 0);
		assertThat(alices).hasSize(15).allSatisfy((r) -> assertThat(r.owner()).isEqualTo(this.alice));
		assertThat(alices).extracting(AuditQuery.Row::at).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		assertThat(alices.get(0).at()).isEqualTo(noon(this.day2));

		List<AuditQuery.Row> bobs = this.query.forOwner(this.bob, null, 100, 0);
		assertThat(bobs).hasSize(1).allSatisfy((r) -> assertThat(r.owner()).isEqualTo(this.bob));
		assertThat(this.query.forOwner(McpOwner.of("alice"), null, 100, 0))
			.noneMatch((r) -> r.owner().equals(this.alice));
	}

	@Test
	void ownerQueriesPageAndFilterByType() {
		List<AuditQuery.Row> all = this.query.forOwner(this.alice, null, 100, 0);
		List<AuditQuery.Row> page1 = this.query.forOwner(this.alice, null, 4, 0);
		List<AuditQuery.Row> page2 = this.query.forOwner(this.alice, null, 4, 4);
		assertThat(page1).containsExactlyElementsOf(all.subList(0, 4));
		assertThat(page2).containsExactlyElementsOf(all.subList(4, 8));
		assertThat(this.query.forOwner(this.alice, null, 4, 100)).isEmpty();

		assertThat(this.query.forOwner(this.alice, AuditEvent.Type.CONNECT, 100, 0)).hasSize(1)
			.allSatisfy((r) -> assertThat(r.type()).isEqualTo(AuditEvent.Type.CONNECT));
		assertThat(this.query.forOwner(this.alice, AuditEvent.Type.TOOL_CALL, 100, 0)).hasSize(14);
		assertThat(this.query.forOwner(this.alice, AuditEvent.Type.REVOKE, 100, 0)).isEmpty();
	}

	@Test
	void tenantAndAllQueriesAreForAdministrators() {
		assertThat(this.query.forTenant(this.tenant, null, 100, 0)).hasSize(16)
			.allSatisfy((r) -> assertThat(r.owner().tenantId()).isEqualTo(this.tenant));
		assertThat(this.query.all(null, AuditQuery.MAX_LIMIT, 0)).extracting(AuditQuery.Row::owner)
			.contains(this.alice, this.bob, this.carol);
	}

	@Test
	void usageAggregatesToolCallsByDayConnectionAndTool() {
		List<UsageService.Row> rows = this.usage.usage(this.alice, this.day1, this.day2);
		assertThat(rows).hasSize(3).allSatisfy((r) -> assertThat(r.owner()).isEqualTo(this.alice));

		UsageService.Row fetch = rows.get(0);
		assertThat(fetch.day()).isEqualTo(this.day1);
		assertThat(fetch.connectionId()).isEqualTo(this.connectionA);
		assertThat(fetch.tool()).isEqualTo("fetch");
		assertThat(fetch.calls()).isEqualTo(2);
		assertThat(fetch.errors()).isEqualTo(1);
		assertThat(fetch.toolErrors()).isZero();
		assertThat(fetch.avgLatencyMillis()).isEqualTo(5.0);
		assertThat(fetch.p95LatencyMillis()).isEqualTo(5.0);

		UsageService.Row search = rows.get(1);
		assertThat(search.day()).isEqualTo(this.day1);
		assertThat(search.connectionId()).isEqualTo(this.connectionA);
		assertThat(search.tool()).isEqualTo("search");
		assertThat(search.calls()).isEqualTo(10);
		assertThat(search.errors()).isEqualTo(2);
		assertThat(search.toolErrors()).isEqualTo(1);
		assertThat(search.avgLatencyMillis()).isCloseTo(55.0, within(1e-9));
		assertThat(search.p95LatencyMillis()).isCloseTo(95.5, within(1e-9));

		UsageService.Row day2Search = rows.get(2);
		assertThat(day2Search.day()).isEqualTo(this.day2);
		assertThat(day2Search.connectionId()).isEqualTo(this.connectionB);
		assertThat(day2Search.calls()).isEqualTo(1);
		assertThat(day2Search.errors()).isZero();
		assertThat(day2Search.avgLatencyMillis()).isEqualTo(42.0);

		// One day only; bob sees only his own call
		assertThat(this.usage.usage(this.alice, this.day2, this.day2)).containsExactly(day2Search);
		assertThat(this.usage.usage(this.bob, this.day1, this.day2)).singleElement()
			.satisfies((r) -> assertThat(r.calls()).isEqualTo(1));
	}

	@Test
	void tenantAndAllUsageCoverEveryOwner() {
		List<UsageService.Row> tenantRows = this.usage.usageOfTenant(this.tenant, this.day1, this.day2);
		assertThat(tenantRows).extracting(UsageService.Row::owner).containsOnly(this.alice, this.bob);
		assertThat(tenantRows).hasSize(4);
		assertThat(this.usage.usageOfAll(this.day1, this.day1)).extracting(UsageService.Row::owner)
			.contains(this.alice, this.bob, this.carol);
	}

	@Test
	void controllerShowsTheCallersOwnRecordsAndOthersOnlyToAdmins() {
		Authentication bobUser = user("bob");
		assertThat(this.controller.audit(bobUser, null, null, 50, 0)).hasSize(1)
			.allSatisfy((e) -> assertThat(e.principal()).isEqualTo("bob"));
		assertThat(this.controller.usage(bobUser, null, this.day1, this.day2)).singleElement()
			.satisfies((u) -> assertThat(u.principal()).isEqualTo("bob"));

		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> this.controller.audit(bobUser, "all", null, 50, 0))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN));
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> this.controller.usage(bobUser, "tenant", null, null))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN));

		Authentication carolAdmin = user("carol", McpAuditController.DEFAULT_ADMIN_AUTHORITY);
		assertThat(this.controller.audit(carolAdmin, null, null, 50, 0)).extracting((e) -> e.principal())
			.containsOnly("carol");
		// A tenant administrator sees its own tenant, never the others.
		assertThat(this.controller.audit(carolAdmin, "tenant", null, 500, 0)).extracting((e) -> e.principal())
			.containsOnly("carol");
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> this.controller.audit(carolAdmin, "all", null, 500, 0))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN));
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> this.controller.usage(carolAdmin, "all", this.day1, this.day2))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN));

		Authentication carolGlobal = user("carol", McpAuditController.DEFAULT_GLOBAL_ADMIN_AUTHORITY);
		assertThat(this.controller.audit(carolGlobal, "all", null, 500, 0)).extracting((e) -> e.principal())
			.contains("alice", "bob", "carol");
		assertThat(this.controller.usage(carolGlobal, "all", this.day1, this.day2)).extracting((u) -> u.principal())
			.contains("alice", "bob", "carol");
		assertThat(this.controller.usage(carolGlobal, "tenant", this.day1, this.day2)).extracting((u) -> u.principal())
			.containsOnly("carol");
	}

	@Test
	void restEndpointsAnswerJsonAndRefuseBadParameters() throws Exception {
		MockMvc mvc = MockMvcBuilders.standaloneSetup(this.controller).build();
		mvc.perform(get("/api/mcp/audit").principal(user("alice")).param("type", "connect"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].type").value("CONNECT"))
			.andExpect(jsonPath("$[0].principal").value("alice"))
			.andExpect(jsonPath("$[0].tenantId").value(this.tenant))
			.andExpect(jsonPath("$[0].at").value(noon(this.day1).toString()))
			.andExpect(jsonPath("$[0].connectionId").value(this.connectionA.toString()));
		mvc.perform(get("/api/mcp/usage").principal(user("alice"))
			.param("from", this.day1.toString())
			.param("to", this.day2.toString()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(3))
			.andExpect(jsonPath("$[1].day").value(this.day1.toString()))
			.andExpect(jsonPath("$[1].calls").value(10))
			.andExpect(jsonPath("$[1].p95LatencyMillis").value(95.5));
		mvc.perform(get("/api/mcp/audit").principal(user("bob")).param("scope", "all"))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/mcp/audit").principal(user("bob")).param("type", "nope"))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/mcp/audit").principal(user("bob")).param("limit", "0"))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/mcp/usage").principal(user("bob")).param("from", "2026-13-01"))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/mcp/usage").principal(user("bob")).param("from", "2026-02-01").param("to", "2026-01-01"))
			.andExpect(status().isBadRequest());
	}

	private static Authentication user(String name, String... authorities) {
		TestingAuthenticationToken token = new TestingAuthenticationToken(name, "n/a", authorities);
		token.setAuthenticated(true);
		return token;
	}

	private static Instant noon(LocalDate day) {
		return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
	}

	private static AuditEvent call(McpOwner owner, Instant at, UUID connectionId, String tool, String outcome,
			Long latency) {
		return new AuditEvent(at, owner, AuditEvent.Type.TOOL_CALL, connectionId, tool, outcome,
				"denied".equals(outcome) ? "deny" : "allow", latency, null, null);
	}

}
