package dev.mcpconnector.autoconfigure;

import java.time.Duration;

import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.execution.McpClientSettings;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.ratelimit.RateLimit;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.PreRegisteredClients;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static dev.mcpconnector.autoconfigure.McpConnectorPropertiesTests.bind;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mappers from bound properties to the connector's settings, and the failure analysis of
 * an invalid property.
 */
@Tag("fast")
class McpConnectorPropertiesMapperTests {

	@Test
	void asDecisionWhenEveryActionThenItsToolDecision() {
		assertThat(GovernancePropertiesMapper.asDecision(GovernanceProperties.Action.ALLOW)).isEqualTo(ToolPolicy.Decision.ALLOW);
		assertThat(GovernancePropertiesMapper.asDecision(GovernanceProperties.Action.DENY)).isEqualTo(ToolPolicy.Decision.DENY);
		assertThat(GovernancePropertiesMapper.asDecision(GovernanceProperties.Action.APPROVE))
			.isEqualTo(ToolPolicy.Decision.REQUIRE_APPROVAL);
	}

	@Test
	void asRateLimitsWhenOnlyPerToolSetThenOthersUnlimited() {
		GovernanceProperties.RateLimits limits = bind("mcp.connector.governance.rate-limits.per-tool.capacity=3",
				"mcp.connector.governance.rate-limits.per-tool.period=1h")
			.getGovernance()
			.getRateLimits();
		assertThat(GovernancePropertiesMapper.asRateLimit(limits.getPerTool())).isEqualTo(RateLimit.of(3, Duration.ofHours(1)));
		assertThat(GovernancePropertiesMapper.asRateLimit(limits.getPerUser())).isNull();
		assertThat(GovernancePropertiesMapper.asRateLimit(limits.getPerConnection())).isNull();
	}

	@Test
	void asPreRegisteredClientsWhenSecretGivenThenKeyedByExactIssuerWithBasicAuthentication() {
		PreRegisteredClients clients = new RegistrationPropertiesMapper(
				bind("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
						"mcp.connector.registration.clients.corp.client-id=app",
						"mcp.connector.registration.clients.corp.client-secret=s3cret")
					.getRegistration()).asPreRegisteredClients();
		assertThat(clients.find("https://login.example.com")).hasValueSatisfying((client) -> {
			assertThat(client.clientId()).isEqualTo("app");
			assertThat(client.authMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
			assertThat(client.toString()).doesNotContain("s3cret");
		});
		assertThat(clients.find("https://login.example.com/")).isEmpty();
	}

	@Test
	void asPreRegisteredClientsWhenPrivateKeyGivenThenPrivateKeyJwt() throws Exception {
		PreRegisteredClients clients = new RegistrationPropertiesMapper(
				bind("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
						"mcp.connector.registration.clients.corp.client-id=app",
						"mcp.connector.registration.clients.corp.private-key=" + McpConnectorPropertiesTests.ecPrivateKeyPem(),
						"mcp.connector.registration.clients.corp.key-id=k-2026")
					.getRegistration()).asPreRegisteredClients();
		assertThat(clients.find("https://login.example.com")).hasValueSatisfying((client) -> {
			assertThat(client.authMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
			assertThat(client.privateKey().getAlgorithm()).isEqualTo("EC");
			assertThat(client.keyId()).isEqualTo("k-2026");
		});
	}

	@Test
	void asMcpClientSettingsWhenBoundThenEveryValueCarried() {
		McpClientSettings settings = new ClientPropertiesMapper(bind("mcp.connector.client.name=host",
				"mcp.connector.client.max-sessions=7", "mcp.connector.client.max-response-size=64KB",
				"mcp.connector.client.idle-timeout=2m")
			.getClient()).asMcpClientSettings();
		assertThat(settings.clientName()).isEqualTo("host");
		assertThat(settings.maxSessions()).isEqualTo(7);
		assertThat(settings.maxResponseBytes()).isEqualTo(64 * 1024);
		assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void asEgressHttpClientWhenBoundThenUsesThePolicy() {
		EgressPropertiesMapper mapper = new EgressPropertiesMapper(bind("mcp.connector.egress.max-redirects=0").getEgress());
		EgressPolicy policy = mapper.asEgressPolicy();
		assertThat(mapper.asEgressHttpClient(policy)).isNotNull();
	}

	@Test
	void failureAnalysisWhenPropertyInvalidThenNamesItTheRuleAndTheEnvironmentVariable() {
		InvalidMcpConnectorPropertyException failure = new InvalidMcpConnectorPropertyException(
				"mcp.connector.governance.rules[0].action", "must be allow, deny or approve");
		FailureAnalysis analysis = new InvalidMcpConnectorPropertyFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", failure));
		assertThat(analysis.getDescription()).contains("Property: mcp.connector.governance.rules[0].action")
			.contains("Reason:   must be allow, deny or approve");
		assertThat(analysis.getAction()).contains("MCP_CONNECTOR_GOVERNANCE_RULES_0_ACTION").contains("README");
	}

}
