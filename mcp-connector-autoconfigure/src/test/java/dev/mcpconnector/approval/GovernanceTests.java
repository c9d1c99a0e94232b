package dev.mcpconnector.approval;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.NodePeer;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tool policies and approvals across two application instances sharing one database, against
 * {@code server-everything}: a denied tool is neither listed nor callable and is audited; a call
 * that needs approval waits on one instance until it is approved on the other; an approval is
 * single-use and bound to its arguments.
 */
class GovernanceTests {

	static final List<AuditEvent> events = new CopyOnWriteArrayList<>();

	@Test
	void deniedToolsAreHiddenAndApprovalsWorkAcrossInstances() throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		int port = NodePeer.freePort();
		try (NodePeer everything = NodePeer.start("governance-everything",
				List.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"),
				Map.of("PORT", String.valueOf(port)), port);
				ConfigurableApplicationContext first = instance(database, key);
				ConfigurableApplicationContext second = instance(database, key)) {
			McpOwner alice = McpOwner.of("alice-" + UUID.randomUUID());
			McpConnection connection = first.getBean(McpConnectionService.class)
				.create(alice, NewConnection.of("http://127.0.0.1:" + port + "/mcp"), ConnectionStatus.ACTIVE);
			McpToolExecutor executorA = first.getBean(McpToolExecutor.class);
			events.clear();

			// Denied: not listed, not callable, audited once.
			List<String> listed = executorA.listTools(alice, connection.id()).stream().map(McpSchema.Tool::name).toList();
			assertThat(listed).contains("echo").doesNotContain("get-sum");
			assertThatExceptionOfType(McpConnectorException.class)
				.isThrownBy(() -> executorA.callTool(alice, connection.id(), "get-sum", Map.of("a", 1, "b", 2)))
				.satisfies((e) -> assertThat(e.error()).isEqualTo(McpConnectorErrorCode.TOOL_DENIED));
			assertThat(events).filteredOn((e) -> "get-sum".equals(e.tool()))
				.singleElement()
				.satisfies((e) -> {
					assertThat(e.outcome()).isEqualTo("denied");
					assertThat(e.decision()).isEqualTo("deny");
				});

			// Approval: the call on instance A waits until instance B approves it.
			CompletableFuture<McpSchema.CallToolResult> waiting = CompletableFuture
				.supplyAsync(() -> executorA.callTool(alice, connection.id(), "echo", Map.of("message", "approve me")));
			ApprovalService approvalsB = second.getBean(ApprovalService.class);
			Approval pending = awaitPending(approvalsB, alice);
			assertThat(pending.tool()).isEqualTo("echo");
			assertThat(pending.preview()).contains("\"message\":\"approve me\"");
			assertThat(waiting).isNotDone();
			approvalsB.approve(pending.id(), alice, false);
			McpSchema.CallToolResult result = waiting.get(30, TimeUnit.SECONDS);
			assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("Echo: approve me");

			// The approval was used up: the same call again needs a new one (replay refused) ...
			ApprovalService approvalsA = first.getBean(ApprovalService.class);
			CompletableFuture<McpSchema.CallToolResult> replay = CompletableFuture
				.supplyAsync(() -> executorA.callTool(alice, connection.id(), "echo", Map.of("message", "approve me")));
			Approval second_ = awaitPending(approvalsA, alice);
			assertThat(second_.id()).isNotEqualTo(pending.id());
			// ... and an approval for other arguments does not let this call through.
			approvalsA.deny(second_.id(), alice, false);
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
				.isThrownBy(() -> replay.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(McpConnectorException.class,
						(e) -> assertThat(e.error()).isEqualTo(McpConnectorErrorCode.APPROVAL_DENIED));

			// Bob can neither see nor decide alice's approvals.
			McpOwner bob = McpOwner.of("bob-" + UUID.randomUUID());
			CompletableFuture<McpSchema.CallToolResult> third = CompletableFuture
				.supplyAsync(() -> executorA.callTool(alice, connection.id(), "echo", Map.of("message", "changed")));
			Approval changed = awaitPending(approvalsA, alice);
			assertThat(approvalsB.pending(bob, false)).isEmpty();
			assertThatExceptionOfType(McpConnectorException.class)
				.isThrownBy(() -> approvalsB.approve(changed.id(), bob, false))
				.satisfies((e) -> assertThat(e.error()).isEqualTo(McpConnectorErrorCode.APPROVAL_NOT_FOUND));
			approvalsB.approve(changed.id(), alice, false);
			assertThat(((McpSchema.TextContent) third.get(30, TimeUnit.SECONDS).content().get(0)).text())
				.isEqualTo("Echo: changed");

			long toolCallEvents = events.stream().filter((e) -> e.type() == AuditEvent.Type.TOOL_CALL).count();
			long decisionEvents = events.stream().filter((e) -> e.type() == AuditEvent.Type.APPROVAL_DECISION).count();
			System.out.printf("[Governance] tool calls audited %d (4 made), approval decisions audited %d (3 made)%n",
					toolCallEvents, decisionEvents);
			assertThat(toolCallEvents).isEqualTo(4);
			assertThat(decisionEvents).isEqualTo(3);
		}
	}

	private static Approval awaitPending(ApprovalService approvals, McpOwner owner) throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			List<Approval> pending = approvals.pending(owner, false);
			if (!pending.isEmpty()) {
				return pending.get(0);
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no pending approval appeared");
	}

	private static ConfigurableApplicationContext instance(TestDatabase database, String key) {
		List<String> properties = new java.util.ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + key);
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("mcp.connector.governance.rules[0].tool=get-*");
		properties.add("mcp.connector.governance.rules[0].action=deny");
		properties.add("mcp.connector.governance.rules[1].tool=echo");
		properties.add("mcp.connector.governance.rules[1].action=approve");
		properties.add("mcp.connector.governance.approval.max-wait=20s");
		return new SpringApplicationBuilder(TestApplication.class, CapturingAudit.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	static class CapturingAudit {

		@Bean
		AuditLog capturingAuditLog() {
			return events::add;
		}

	}

}
