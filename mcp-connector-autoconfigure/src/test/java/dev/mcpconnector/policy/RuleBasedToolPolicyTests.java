package dev.mcpconnector.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link ToolRule} globs and {@link RuleBasedToolPolicy}'s order of precedence. */
@Tag("fast")
class RuleBasedToolPolicyTests {

	private static final UUID CONNECTION_ID = UUID.fromString("00000000-0000-0000-0000-00000000000a");

	@ParameterizedTest(name = "[{index}] \"{0}\" against \"{1}\" -> {2}")
	@CsvSource(delimiter = ';', value = {
			// exact, case-insensitive
			"send_email ; send_email ; true", "send_email ; SEND_EMAIL ; true", "send_email ; send_emails ; false",
			"send_email ; resend_email ; false",
			// * is any run of characters, also none
			"send_* ; send_email ; true", "send_* ; send_ ; true", "send_* ; resend_email ; false",
			"*_email ; send_email ; true", "* ; anything ; true", "*delete* ; bulk_delete_all ; true",
			"a*b*c ; axxbyyc ; true", "a*b*c ; axxbyy ; false",
			// ? is exactly one character
			"get_? ; get_a ; true", "get_? ; get_ ; false", "get_? ; get_ab ; false", "??? ; abc ; true",
			// regular expression characters are literal
			"files.read ; files.read ; true", "files.read ; filesXread ; false", "a+b ; aab ; false",
			"a+b ; a+b ; true", "(x) ; (x) ; true", "[ab] ; a ; false", "^a$ ; ^a$ ; true", "a\\d ; a\\d ; true",
			"a\\d ; a1 ; false", "a|b ; a|b ; true", "a|b ; a ; false",
			// Unicode case folding
			"ÉCRIRE_* ; écrire_fichier ; true" })
	void matchesWhenToolGlobThenWholeNameIsMatched(String glob, String toolName, boolean matches) {
		ToolRule rule = new ToolRule(null, null, glob, ToolPolicy.Decision.DENY);
		assertThat(rule.matches(request("acme", "Mail", "mail.example.com", toolName, null))).isEqualTo(matches);
	}

	@Test
	void matchesWhenEveryGivenGlobMatchesThenTrue() {
		ToolRule rule = new ToolRule("acme", "*.example.com", "send_*", ToolPolicy.Decision.DENY);
		assertThat(rule.matches(request("acme", "Mail (work)", "mail.example.com", "send_email", null))).isTrue();
	}

	@Test
	void matchesWhenOneGlobDoesNotMatchThenFalse() {
		ToolRule rule = new ToolRule("acme", "*.example.com", "send_*", ToolPolicy.Decision.DENY);
		assertThat(rule.matches(request("other", "Mail", "mail.example.com", "send_email", null))).isFalse();
		// the connection's name is its user's choice: it neither makes nor breaks a match
		assertThat(rule.matches(request("acme", "Calendar", "mail.example.com", "send_email", null))).isTrue();
		assertThat(rule.matches(request("acme", "Mail", "mail.example.org", "send_email", null))).isFalse();
		assertThat(rule.matches(request("acme", "Mail", "mail.example.com", "read_email", null))).isFalse();
	}

	@Test
	void matchesWhenGlobAbsentOrEmptyThenAnyValueMatchesEvenNone() {
		ToolRule absent = new ToolRule(null, null, null, ToolPolicy.Decision.DENY);
		ToolRule empty = new ToolRule("", "", "", ToolPolicy.Decision.DENY);
		ToolPolicy.Request withoutNames = new ToolPolicy.Request(McpOwner.of("alice"), CONNECTION_ID, null, null,
				"echo", null);
		for (ToolRule rule : List.of(absent, empty)) {
			assertThat(rule.matches(withoutNames)).isTrue();
			assertThat(rule.matches(request("acme", "Mail", "mail.example.com", "send_email", null))).isTrue();
		}
	}

	@Test
	void matchesWhenGlobGivenAndValueMissingThenFalse() {
		ToolPolicy.Request withoutNames = new ToolPolicy.Request(McpOwner.of("alice"), CONNECTION_ID, null, null,
				"echo", null);
		assertThat(new ToolRule(null, "https://*", null, ToolPolicy.Decision.DENY).matches(withoutNames)).isFalse();
		assertThat(new ToolRule(null, "*", null, ToolPolicy.Decision.DENY).matches(withoutNames)).isFalse();
	}

	@Test
	void matchesWhenTenantGlobAndOwnerHasNoTenantThenOnlyAStarMatches() {
		ToolPolicy.Request noTenant = new ToolPolicy.Request(McpOwner.of("alice"), CONNECTION_ID, "Mail",
				"mail.example.com", "echo", null);
		assertThat(new ToolRule("acme", null, null, ToolPolicy.Decision.DENY).matches(noTenant)).isFalse();
		assertThat(new ToolRule("*", null, null, ToolPolicy.Decision.DENY).matches(noTenant)).isTrue();
	}

	@Test
	void toolRuleWhenDecisionNullThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ToolRule(null, null, "x", null));
	}

	@Test
	void decideWhenSeveralRulesMatchThenTheFirstOneDecides() {
		RuleBasedToolPolicy denyFirst = new RuleBasedToolPolicy(
				List.of(new ToolRule(null, null, "delete_*", ToolPolicy.Decision.DENY),
						new ToolRule(null, null, "*", ToolPolicy.Decision.ALLOW)),
				false);
		RuleBasedToolPolicy allowFirst = new RuleBasedToolPolicy(
				List.of(new ToolRule(null, null, "*", ToolPolicy.Decision.ALLOW),
						new ToolRule(null, null, "delete_*", ToolPolicy.Decision.DENY)),
				false);
		ToolPolicy.Request delete = request("acme", "Files", "files.example.com", "delete_file", null);
		assertThat(denyFirst.decide(delete)).isEqualTo(ToolPolicy.Decision.DENY);
		assertThat(allowFirst.decide(delete)).isEqualTo(ToolPolicy.Decision.ALLOW);
		assertThat(denyFirst.decide(request("acme", "Files", "files.example.com", "read_file", null)))
			.isEqualTo(ToolPolicy.Decision.ALLOW);
	}

	@Test
	void decideWhenRuleRequiresApprovalThenRequireApproval() {
		RuleBasedToolPolicy policy = new RuleBasedToolPolicy(
				List.of(new ToolRule("acme", "*.bank.example", "transfer_*", ToolPolicy.Decision.REQUIRE_APPROVAL)),
				false);
		assertThat(policy.decide(request("acme", "Bank", "api.bank.example", "transfer_money", null)))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
		assertThat(policy.decide(request("acme", "Bank", "api.bank.example", "get_balance", null)))
			.isEqualTo(ToolPolicy.Decision.ALLOW);
		assertThat(policy.decide(request("globex", "Bank", "api.bank.example", "transfer_money", null)))
			.isEqualTo(ToolPolicy.Decision.ALLOW);
	}

	@Test
	void decideWhenNoRuleMatchesAndToolDestructiveThenApprovalOnlyWhenConfigured() {
		ToolPolicy.Request destructive = request("acme", "Files", "files.example.com", "wipe", tool("wipe", true));
		assertThat(new RuleBasedToolPolicy(List.of(), true).decide(destructive))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
		assertThat(new RuleBasedToolPolicy(List.of(), false).decide(destructive)).isEqualTo(ToolPolicy.Decision.ALLOW);
	}

	@Test
	void decideWhenToolNotMarkedDestructiveThenAllowedWithApproveDestructive() {
		RuleBasedToolPolicy policy = new RuleBasedToolPolicy(List.of(), true);
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "read", tool("read", false))))
			.isEqualTo(ToolPolicy.Decision.ALLOW);
		McpSchema.Tool readOnly = McpSchema.Tool.builder()
			.name("read")
			.inputSchema(Map.of("type", "object"))
			.annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).build())
			.build();
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "read", readOnly)))
			.isEqualTo(ToolPolicy.Decision.ALLOW);
	}

	/** The spec's defaults: destructiveHint true, readOnlyHint false; an unknown tool is the worst case. */
	@Test
	void decideWhenAnnotationsAbsentThenTheSpecDefaultsMakeTheToolDestructive() {
		RuleBasedToolPolicy policy = new RuleBasedToolPolicy(List.of(), true);
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "read", tool("read", null))))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
		McpSchema.Tool withoutAnnotations = McpSchema.Tool.builder()
			.name("read")
			.inputSchema(Map.of("type", "object"))
			.build();
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "read", withoutAnnotations)))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
		McpSchema.Tool notReadOnly = McpSchema.Tool.builder()
			.name("write")
			.inputSchema(Map.of("type", "object"))
			.annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(false).build())
			.build();
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "write", notReadOnly)))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
		assertThat(policy.decide(request("acme", "Files", "files.example.com", "wipe", null)))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
	}

	/** Server rules match the canonical server URL; an address or an alias spelling does not sidestep them. */
	@ParameterizedTest(name = "[{index}] {1} rule \"{0}\" against {2} -> {3}")
	@CsvSource(delimiter = ';', value = {
			// host globs: case, trailing dots and default ports are canonical already or stripped
			"mcp.evil.example ; DENY ; https://mcp.evil.example/mcp ; true",
			"mcp.evil.example ; DENY ; https://mcp.evil.example./mcp ; true",
			"mcp.evil.example. ; DENY ; https://mcp.evil.example/mcp ; true",
			"*.evil.example ; DENY ; https://a.b.evil.example:8443/x ; true",
			"mcp.evil.example ; DENY ; https://mcp.evil.example.other.example/mcp ; false",
			// an address cannot be told from the host a deny or approval rule names: they apply
			"mcp.evil.example ; DENY ; https://203.0.113.7/mcp ; true",
			"mcp.evil.example ; DENY ; https://[2001:db8::7]/mcp ; true",
			"mcp.evil.example ; DENY ; https://[::ffff:cb00:7107]/mcp ; true",
			"mcp.evil.example ; DENY ; http://127.0.0.1:9000/mcp ; true",
			"mcp.evil.example ; DENY ; http://localhost:9000/mcp ; true",
			"mcp.evil.example ; REQUIRE_APPROVAL ; https://203.0.113.7/mcp ; true",
			// ...but an allow rule never does
			"*.corp.example ; ALLOW ; https://203.0.113.7/mcp ; false",
			"*.corp.example ; ALLOW ; http://127.0.0.1:9000/mcp ; false",
			"* ; ALLOW ; https://203.0.113.7/mcp ; true",
			"203.0.113.7 ; ALLOW ; https://203.0.113.7/mcp ; true",
			"203.0.113.7 ; DENY ; https://203.0.113.8/mcp ; false",
			// URL globs match the whole canonical URL
			"https://mcp.corp.example/* ; ALLOW ; https://mcp.corp.example/mcp ; true",
			"https://mcp.corp.example/* ; ALLOW ; https://mcp.corp.example./mcp ; true",
			"https://mcp.corp.example/* ; ALLOW ; http://mcp.corp.example/mcp ; false",
			"https://mcp.corp.example/* ; ALLOW ; https://mcp.corp.example:8443/mcp ; false" })
	void matchesServerOnTheCanonicalUrlWhetherTypedAsNameAliasOrAddress(String glob, ToolPolicy.Decision decision,
			String serverUrl, boolean matches) {
		ToolRule rule = new ToolRule(null, glob, null, decision);
		java.net.URI canonical = dev.mcpconnector.connection.McpConnection
			.resourceUriOf(dev.mcpconnector.connection.NewConnection.of(serverUrl).serverUri());
		ToolPolicy.Request request = new ToolPolicy.Request(McpOwner.of("alice"), CONNECTION_ID, "a name I chose",
				canonical.getHost(), "echo", null, canonical);
		assertThat(rule.matches(request)).isEqualTo(matches);
	}

	@Test
	void ruleWhenConnectionNameGlobGivenThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ToolPolicy.Rule(null, "Mail*", null, null, ToolPolicy.Decision.ALLOW));
	}

	@Test
	void decideWhenARuleMatchesADestructiveToolThenTheRuleWinsOverApproveDestructive() {
		ToolPolicy.Request destructive = request("acme", "Files", "files.example.com", "wipe", tool("wipe", true));
		assertThat(new RuleBasedToolPolicy(List.of(new ToolRule(null, null, "wipe", ToolPolicy.Decision.ALLOW)), true)
			.decide(destructive)).isEqualTo(ToolPolicy.Decision.ALLOW);
		assertThat(new RuleBasedToolPolicy(List.of(new ToolRule(null, null, "wipe", ToolPolicy.Decision.DENY)), true)
			.decide(destructive)).isEqualTo(ToolPolicy.Decision.DENY);
	}

	@Test
	void needsToolDefinitionOnlyForTheDestructiveToolsRule() {
		assertThat(new RuleBasedToolPolicy(List.of(), true).needsToolDefinition()).isTrue();
		assertThat(new RuleBasedToolPolicy(List.of(new ToolRule(null, null, "*", ToolPolicy.Decision.DENY)), false)
			.needsToolDefinition()).isFalse();
	}

	@Test
	void rulesWhenSourceListChangesAfterwardsThenPolicyUnchanged() {
		List<ToolRule> rules = new ArrayList<>(List.of(new ToolRule(null, null, "echo", ToolPolicy.Decision.DENY)));
		RuleBasedToolPolicy policy = new RuleBasedToolPolicy(rules, false);
		rules.add(0, new ToolRule(null, null, "*", ToolPolicy.Decision.ALLOW));
		assertThat(policy.decide(request("acme", "Echo", "echo.example.com", "echo", null)))
			.isEqualTo(ToolPolicy.Decision.DENY);
	}

	@Test
	void ruleBasedToolPolicyWhenRulesNullThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RuleBasedToolPolicy(null, false));
	}

	@Test
	void labelIsTheLowerCaseNameUsedInAuditAndMetrics() {
		assertThat(ToolPolicy.Decision.ALLOW.label()).isEqualTo("allow");
		assertThat(ToolPolicy.Decision.DENY.label()).isEqualTo("deny");
		assertThat(ToolPolicy.Decision.REQUIRE_APPROVAL.label()).isEqualTo("approval");
	}

	private static ToolPolicy.Request request(String tenant, String connectionName, String serverHost, String toolName,
			McpSchema.Tool tool) {
		return new ToolPolicy.Request(McpOwner.of(tenant, "alice"), CONNECTION_ID, connectionName, serverHost, toolName,
				tool, java.net.URI.create("https://" + serverHost + "/mcp"));
	}

	private static McpSchema.Tool tool(String name, Boolean destructive) {
		return McpSchema.Tool.builder()
			.name(name)
			.inputSchema(Map.of("type", "object"))
			.annotations(McpSchema.ToolAnnotations.builder().destructiveHint(destructive).build())
			.build();
	}

}
