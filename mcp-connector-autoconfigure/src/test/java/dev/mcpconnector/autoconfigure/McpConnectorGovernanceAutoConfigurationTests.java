package dev.mcpconnector.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.approval.ApprovalStore;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.ToolCallInterceptor;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.scheduling.TestJobs;
import dev.mcpconnector.usage.UsageService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorGovernanceAutoConfiguration}: policy, approvals, rate limits, audit,
 * usage and retention, each backing off, and the one composite audit log.
 */
class McpConnectorGovernanceAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TestContextRunners.connector();

	@Test
	void contextWhenDefaultsThenProvidesEveryGovernanceBean() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(ToolPolicy.class)
			.hasSingleBean(ApprovalStore.class)
			.hasSingleBean(ApprovalService.class)
			.hasBean("mcpConnectorRateLimitInterceptor")
			.hasBean("mcpConnectorAuditLog")
			.hasSingleBean(CompositeAuditLog.class)
			.hasSingleBean(AuditQuery.class)
			.hasSingleBean(UsageService.class)
			.hasBean("mcpConnectorRetentionJob"));
	}

	@Test
	void contextWhenDefaultsThenPolicyApprovalAndAuditJoinTheToolCallPipeline() {
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(ToolCallInterceptor.class)).containsKeys(
				"mcpConnectorToolPolicyInterceptor", "mcpConnectorApprovalInterceptor", "mcpConnectorAuditInterceptor",
				"mcpConnectorRateLimitInterceptor"));
	}

	@Test
	void toolPolicyInterceptorWhenUserDefinedByNameThenBacksOff() {
		ToolCallInterceptor custom = ToolCallInterceptor.policy(ToolPolicy.rules(List.of(), false));
		this.contextRunner.withBean("mcpConnectorToolPolicyInterceptor", ToolCallInterceptor.class, () -> custom)
			.run((context) -> assertThat(context.getBean("mcpConnectorToolPolicyInterceptor")).isSameAs(custom));
	}

	@Test
	void approvalInterceptorWhenUserDefinedByNameThenBacksOff() {
		this.contextRunner.withUserConfiguration(CustomApprovalInterceptor.class)
			.run((context) -> assertThat(context.getBean("mcpConnectorApprovalInterceptor"))
				.isSameAs(CustomApprovalInterceptor.instance));
	}

	@Test
	void approvalInterceptorWhenApplicationsOwnApprovalServiceThenUsesIt() {
		this.contextRunner.withUserConfiguration(CustomApprovalService.class)
			.run((context) -> assertThat(context).hasBean("mcpConnectorApprovalInterceptor"));
	}

	@Test
	void auditInterceptorWhenUserDefinedByNameThenBacksOff() {
		ToolCallInterceptor custom = ToolCallInterceptor.audit(AuditLog.none(), Clock.systemUTC());
		this.contextRunner.withBean("mcpConnectorAuditInterceptor", ToolCallInterceptor.class, () -> custom)
			.run((context) -> assertThat(context.getBean("mcpConnectorAuditInterceptor")).isSameAs(custom));
	}

	@Test
	void toolPolicyWhenRulesConfiguredThenDecidesByThem() {
		this.contextRunner
			.withPropertyValues("mcp.connector.governance.rules[0].tool=get-*",
					"mcp.connector.governance.rules[0].action=deny")
			.run((context) -> {
				ToolPolicy policy = context.getBean(ToolPolicy.class);
				assertThat(policy.decide(new ToolPolicy.Request(McpOwner.of("alice"), null, "Files", "files.example",
						"get-sum", null))).isEqualTo(ToolPolicy.Decision.DENY);
				assertThat(policy.decide(new ToolPolicy.Request(McpOwner.of("alice"), null, "Files", "files.example",
						"echo", null))).isEqualTo(ToolPolicy.Decision.ALLOW);
			});
	}

	@Test
	void toolPolicyWhenRuleActionUnknownThenFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("mcp.connector.governance.rules[0].action=maybe")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mcp.connector.governance.rules[0].action"));
	}

	@Test
	void toolPolicyWhenRuleNamesAConnectionGlobThenFailsSayingTheNameIsTheUsersChoice() {
		this.contextRunner
			.withPropertyValues("mcp.connector.governance.rules[0].connection=trusted-*",
					"mcp.connector.governance.rules[0].action=allow")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mcp.connector.governance.rules[0].connection")
				.hasStackTraceContaining("mcp.connector.governance.rules[0].server"));
	}

	@Test
	void toolPolicyWhenUserDefinedThenBacksOff() {
		ToolPolicy custom = ToolPolicy.rules(List.of(), true);
		this.contextRunner.withBean(ToolPolicy.class, () -> custom)
			.run((context) -> assertThat(context).getBean(ToolPolicy.class).isSameAs(custom));
	}

	@Test
	void approvalServiceWhenUserDefinedThenBacksOff() {
		this.contextRunner.withUserConfiguration(CustomApprovalService.class)
			.run((context) -> assertThat(context.getBeanNamesForType(ApprovalService.class))
				.containsExactly("customApprovalService"));
	}

	@Test
	void rateLimitInterceptorWhenUserDefinedByNameThenBacksOff() {
		ToolCallInterceptor custom = new ToolCallInterceptor() {
		};
		this.contextRunner.withBean("mcpConnectorRateLimitInterceptor", ToolCallInterceptor.class, () -> custom)
			.run((context) -> assertThat(context.getBean("mcpConnectorRateLimitInterceptor")).isSameAs(custom));
	}

	// rateLimitInterceptorWhenLimitConfiguredThenCarriesIt: ratelimit.RateLimitConfigurationTests (internal type)

	@Test
	void auditLogWhenUserDefinedThenJdbcLogBacksOffAndTheCompositeWrapsTheUsersLog() {
		List<AuditEvent> recorded = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean("myAuditLog", AuditLog.class, () -> recorded::add).run((context) -> {
			assertThat(context).doesNotHaveBean("mcpConnectorAuditLog");
			CompositeAuditLog composite = context.getBean(CompositeAuditLog.class);
			assertThat(composite.logs()).containsExactly(context.getBean("myAuditLog", AuditLog.class));
			composite.record(event());
			assertThat(recorded).hasSize(1);
		});
	}

	@Test
	void auditLogWhenDisabledThenNoJdbcLog() {
		this.contextRunner.withPropertyValues("mcp.connector.audit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mcpConnectorAuditLog")
				.hasSingleBean(CompositeAuditLog.class));
	}

	@Test
	void compositeAuditLogWhenListenersDefinedThenTellsEachOnceAndSurvivesOneThatThrows() {
		List<AuditEvent> heard = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues("mcp.connector.audit.enabled=false")
			.withBean("throwingListener", AuditEvent.Listener.class, () -> (event) -> {
				throw new IllegalStateException("listener failure");
			})
			.withBean("countingListener", AuditEvent.Listener.class, () -> heard::add)
			.run((context) -> {
				context.getBean(AuditLog.class).record(event());
				assertThat(heard).hasSize(1);
			});
	}

	@Test
	void compositeAuditLogIsTheAuditLogEveryComponentGets() {
		this.contextRunner.run((context) -> {
			AuditLog primary = context.getBean(AuditLog.class);
			assertThat(primary).isInstanceOf(CompositeAuditLog.class);
			assertThat(((CompositeAuditLog) primary).logs()).containsExactly(context.getBean("mcpConnectorAuditLog", AuditLog.class));
			assertThat(context.getBean(McpAuthorizationService.class)).isNotNull();
		});
	}

	@Test
	void compositeAuditLogWhenUserDefinedByNameThenBacksOff() {
		CompositeAuditLog custom = new CompositeAuditLog(List.of(), List.of());
		this.contextRunner
			.withBean(McpConnectorGovernanceAutoConfiguration.COMPOSITE_AUDIT_LOG_BEAN, CompositeAuditLog.class,
					() -> custom, (definition) -> definition.setPrimary(true))
			.run((context) -> assertThat(context).getBean(CompositeAuditLog.class).isSameAs(custom));
	}

	@Test
	void auditQueryWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customAuditQuery", AuditQuery.class,
					() -> new AuditQuery(TestContextRunners.database().dataSource()))
			.run((context) -> assertThat(context.getBeanNamesForType(AuditQuery.class))
				.containsExactly("customAuditQuery"));
	}

	@Test
	void usageServiceWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customUsageService", UsageService.class,
					() -> new UsageService(TestContextRunners.database().dataSource(), McpConnectorTables.inSchema(null),
							ZoneOffset.UTC,
							Clock.systemUTC()))
			.run((context) -> assertThat(context.getBeanNamesForType(UsageService.class))
				.containsExactly("customUsageService"));
	}

	@Test
	void retentionJobWhenUserDefinedByNameThenBacksOff() {
		this.contextRunner
			.withBean("mcpConnectorRetentionJob", SmartLifecycle.class, TestJobs.NoOpJob::new)
			.run((context) -> assertThat(context.getBean("mcpConnectorRetentionJob"))
				.isInstanceOf(TestJobs.NoOpJob.class));
	}

	@Test
	void retentionJobWhenDisabledThenAbsent() {
		this.contextRunner.withPropertyValues("mcp.connector.retention.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mcpConnectorRetentionJob"));
	}

	private static AuditEvent event() {
		return new AuditEvent(Instant.now(), McpOwner.of("alice"), AuditEvent.Type.CONNECT, null, null, "ok", null, null,
				null, null);
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomApprovalInterceptor {

		static ToolCallInterceptor instance;

		@Bean
		ToolCallInterceptor mcpConnectorApprovalInterceptor(ApprovalService approvals) {
			instance = ToolCallInterceptor.approval(approvals);
			return instance;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomApprovalService {

		@Bean
		ApprovalService customApprovalService(ApprovalStore store) {
			return new ApprovalService(store, AuditLog.none(), Duration.ofMinutes(1), Duration.ZERO, Clock.systemUTC());
		}

	}

}
