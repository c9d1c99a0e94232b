package dev.mcpconnector.autoconfigure;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The {@code mcp.connector.*} properties as bound from configuration, and their checks.
 */
@Tag("fast")
class McpConnectorPropertiesTests {

	static McpConnectorProperties bind(String... pairs) {
		Map<String, String> map = new LinkedHashMap<>();
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			map.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		McpConnectorProperties properties = new McpConnectorProperties();
		new Binder(new MapConfigurationPropertySource(map)).bind("mcp.connector", Bindable.ofInstance(properties));
		return properties;
	}

	private static InvalidMcpConnectorPropertyException invalid(String... pairs) {
		McpConnectorProperties properties = bind(pairs);
		return org.junit.jupiter.api.Assertions.assertThrows(InvalidMcpConnectorPropertyException.class,
				properties::afterPropertiesSet);
	}

	@Test
	void validateWhenDefaultsThenPasses() {
		assertThatNoException().isThrownBy(() -> bind().afterPropertiesSet());
	}

	@Test
	void bindWhenDefaultsThenTheDocumentedValues() {
		McpConnectorProperties properties = bind();
		assertThat(properties.getWeb().getBasePath()).isEqualTo("/api/mcp");
		assertThat(properties.getEgress().getMaxResponseSize()).isEqualTo(DataSize.ofMegabytes(1));
		assertThat(properties.getAuthorization().getStateLifetime()).isEqualTo(Duration.ofMinutes(10));
		assertThat(properties.getClient().getMaxSessions()).isEqualTo(1000);
		assertThat(properties.getGovernance().getApproval().getLifetime()).isEqualTo(Duration.ofMinutes(15));
		assertThat(properties.getAudit().getAdminAuthority()).isEqualTo("ROLE_MCP_ADMIN");
		assertThat(properties.getRetention().getAudit()).isEqualTo(Duration.ofDays(90));
		assertThat(properties.getSchema().getHistoryTable()).isEqualTo("mcp_connector_schema_history");
	}

	@Test
	void validateWhenBasePathHasNoLeadingSlashThenNamesTheProperty() {
		InvalidMcpConnectorPropertyException ex = invalid("mcp.connector.web.base-path=api/mcp");
		assertThat(ex.property()).isEqualTo("mcp.connector.web.base-path");
		assertThat(ex.getMessage()).contains("must start with '/'").contains("'api/mcp'");
	}

	@Test
	void validateWhenBasePathEndsWithSlashThenFails() {
		assertThat(invalid("mcp.connector.web.base-path=/api/mcp/").property()).isEqualTo("mcp.connector.web.base-path");
	}

	@Test
	void validateWhenRedirectUriRelativeThenFails() {
		assertThat(invalid("mcp.connector.authorization.redirect-uri=/callback").getMessage())
			.startsWith("mcp.connector.authorization.redirect-uri must be an absolute URL");
	}

	@Test
	void validateWhenATrustedOriginHasAPathThenFails() {
		assertThat(invalid("mcp.connector.authorization.trusted-origins=https://app.example.com/app").property())
			.isEqualTo("mcp.connector.authorization.trusted-origins");
		assertThat(invalid("mcp.connector.authorization.trusted-origins=app.example.com").property())
			.isEqualTo("mcp.connector.authorization.trusted-origins");
	}

	@Test
	void effectiveRedirectUriWhenOnlyTrustedOriginsThenTheCallbackOnTheFirst() {
		McpConnectorProperties properties = bind(
				"mcp.connector.authorization.trusted-origins=https://app.example.com:8443/,https://other.example.com");
		assertThat(properties.getAuthorization().effectiveRedirectUri("/ctx", "/api/mcp"))
			.hasToString("https://app.example.com:8443/ctx/api/mcp/oauth/callback");
		McpConnectorProperties both = bind("mcp.connector.authorization.trusted-origins=https://app.example.com",
				"mcp.connector.authorization.redirect-uri=https://cb.example.com/cb");
		assertThat(both.getAuthorization().effectiveRedirectUri("", "/api/mcp")).hasToString("https://cb.example.com/cb");
		assertThat(bind().getAuthorization().effectiveRedirectUri("", "/api/mcp")).isNull();
	}

	@Test
	void validateWhenAnAllowedHostHasABadPortThenFails() {
		assertThat(invalid("mcp.connector.egress.allowed-hosts=internal.example:99999").getMessage())
			.startsWith("mcp.connector.egress.allowed-hosts")
			.contains("port");
	}

	@Test
	void validateWhenAnAllowedResourceIsNoUrlThenFails() {
		assertThat(invalid("mcp.connector.registration.clients.corp.issuer=https://login.corp.example",
				"mcp.connector.registration.clients.corp.client-id=app",
				"mcp.connector.registration.clients.corp.allowed-resources=mcp.corp.example").property())
			.isEqualTo("mcp.connector.registration.clients.corp.allowed-resources");
	}

	@Test
	void validateWhenStateLifetimeOverTenMinutesThenFails() {
		assertThat(invalid("mcp.connector.authorization.state-lifetime=11m").property())
			.isEqualTo("mcp.connector.authorization.state-lifetime");
	}

	@Test
	void validateWhenIdTokenClockSkewOverFiveMinutesThenFails() {
		assertThat(invalid("mcp.connector.authorization.id-token-clock-skew=6m").property())
			.isEqualTo("mcp.connector.authorization.id-token-clock-skew");
	}

	@Test
	void validateWhenRefreshSkewZeroThenPasses() {
		assertThatNoException().isThrownBy(() -> bind("mcp.connector.authorization.refresh-skew=0s").validate());
	}

	@Test
	void validateWhenDefaultReturnToIsAnotherOriginThenFails() {
		assertThat(invalid("mcp.connector.authorization.default-return-to=//evil.example").property())
			.isEqualTo("mcp.connector.authorization.default-return-to");
	}

	@Test
	void validateWhenClientMetadataDocumentUrlNotHttpsThenFails() {
		assertThat(invalid("mcp.connector.registration.client-metadata-document-url=http://app.example.com/cimd.json")
			.getMessage()).contains("must be an https URL with a path");
	}

	@Test
	void validateWhenPreRegisteredClientHasNoIssuerThenFails() {
		assertThat(invalid("mcp.connector.registration.clients.corp.client-id=app").getMessage())
			.isEqualTo("mcp.connector.registration.clients.corp needs both an issuer and a client-id");
	}

	@Test
	void validateWhenPrivateKeyMalformedThenFailsWithoutEchoingIt() {
		InvalidMcpConnectorPropertyException ex = invalid(
				"mcp.connector.registration.clients.corp.issuer=https://login.example.com",
				"mcp.connector.registration.clients.corp.client-id=app",
				"mcp.connector.registration.clients.corp.private-key=secret-looking-material");
		assertThat(ex.property()).isEqualTo("mcp.connector.registration.clients.corp.private-key");
		assertThat(ex.getMessage()).doesNotContain("secret-looking-material");
	}

	@Test
	void validateWhenSecretMethodWithoutSecretThenFails() {
		InvalidMcpConnectorPropertyException ex = invalid(
				"mcp.connector.registration.clients.corp.issuer=https://login.example.com",
				"mcp.connector.registration.clients.corp.client-id=app",
				"mcp.connector.registration.clients.corp.authentication-method=client_secret_post");
		assertThat(ex.getMessage())
			.isEqualTo("mcp.connector.registration.clients.corp.client-secret is required for client_secret_post");
	}

	@Test
	void validateWhenPrivateKeyJwtWithoutKeyThenFails() {
		assertThat(invalid("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
				"mcp.connector.registration.clients.corp.client-id=app",
				"mcp.connector.registration.clients.corp.authentication-method=private-key-jwt")
			.property()).isEqualTo("mcp.connector.registration.clients.corp.private-key");
	}

	@Test
	void validateWhenTwoClientsShareAnIssuerThenFails() {
		assertThat(invalid("mcp.connector.registration.clients.a.issuer=https://login.example.com",
				"mcp.connector.registration.clients.a.client-id=one",
				"mcp.connector.registration.clients.b.issuer=https://login.example.com",
				"mcp.connector.registration.clients.b.client-id=two")
			.property()).isEqualTo("mcp.connector.registration.clients.b.issuer");
	}

	@Test
	void validateWhenApplicationTypeUnknownThenNamesTheProperty() {
		assertThat(invalid("mcp.connector.registration.dynamic.corp.issuer=https://login.example.com",
				"mcp.connector.registration.dynamic.corp.application-type=desktop")
			.property()).isEqualTo("mcp.connector.registration.dynamic.corp.application-type");
	}

	@Test
	void validateWhenDynamicSettingsHaveNoIssuerThenFails() {
		assertThat(invalid("mcp.connector.registration.dynamic.corp.application-type=web").property())
			.isEqualTo("mcp.connector.registration.dynamic.corp.issuer");
	}

	@Test
	void validateWhenDynamicSettingsNameAPreRegisteredIssuerThenFails() {
		assertThat(invalid("mcp.connector.registration.clients.a.issuer=https://login.example.com",
				"mcp.connector.registration.clients.a.client-id=one",
				"mcp.connector.registration.dynamic.b.issuer=https://login.example.com",
				"mcp.connector.registration.dynamic.b.application-type=web")
			.property()).isEqualTo("mcp.connector.registration.dynamic.b.issuer");
	}

	@Test
	void validateWhenTwoDynamicSettingsShareAnIssuerThenFails() {
		assertThat(invalid("mcp.connector.registration.dynamic.a.issuer=https://login.example.com",
				"mcp.connector.registration.dynamic.a.application-type=web",
				"mcp.connector.registration.dynamic.b.issuer=https://login.example.com",
				"mcp.connector.registration.dynamic.b.application-type=native")
			.property()).isEqualTo("mcp.connector.registration.dynamic.b.issuer");
	}

	@Test
	void bindWhenApplicationTypeConfiguredThenMappedByIssuer() {
		McpConnectorProperties properties = bind("mcp.connector.registration.dynamic.corp.issuer=https://login.example.com",
				"mcp.connector.registration.dynamic.corp.application-type=web",
				"mcp.connector.registration.dynamic.other.issuer=https://other.example.com");
		properties.afterPropertiesSet();
		assertThat(new RegistrationPropertiesMapper(properties.getRegistration()).asApplicationTypes())
			.containsExactly(Map.entry("https://login.example.com", "web"));
	}

	@Test
	void bindWhenAuthenticationMethodInOAuthSpellingThenEnum() {
		McpConnectorProperties properties = bind("mcp.connector.registration.clients.corp.authentication-method=client_secret_post");
		assertThat(properties.getRegistration().getClients().get("corp").getAuthenticationMethod())
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
	}

	@Test
	void effectiveAuthenticationMethodWhenUnsetThenFromTheCredentials() {
		RegistrationProperties.PreRegistered client = new RegistrationProperties.PreRegistered();
		assertThat(client.effectiveAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
		client.setClientSecret("s");
		assertThat(client.effectiveAuthenticationMethod())
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
		client.setPrivateKey("k");
		assertThat(client.effectiveAuthenticationMethod())
			.isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
	}

	@Test
	void bindWhenRuleActionIsAnyCaseThenEnum() {
		McpConnectorProperties properties = bind("mcp.connector.governance.rules[0].tool=get-*",
				"mcp.connector.governance.rules[0].action=Approve", "mcp.connector.governance.rules[1].action=deny");
		assertThat(properties.getGovernance().getRules()).extracting(GovernanceProperties.Rule::getAction)
			.containsExactly(GovernanceProperties.Action.APPROVE, GovernanceProperties.Action.DENY);
	}

	@Test
	void bindWhenRuleActionUnknownThenBindingFailsNamingTheProperty() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind("mcp.connector.governance.rules[0].action=maybe"))
			.satisfies((ex) -> assertThat(ex.getProperty().getName().toString())
				.isEqualTo("mcp.connector.governance.rules[0].action"));
	}

	@Test
	void validateWhenRateLimitCapacityZeroThenFails() {
		assertThat(invalid("mcp.connector.governance.rate-limits.per-tool.capacity=0").property())
			.isEqualTo("mcp.connector.governance.rate-limits.per-tool.capacity");
	}

	@Test
	void validateWhenRateLimitPeriodZeroThenFails() {
		assertThat(invalid("mcp.connector.governance.rate-limits.per-user.period=0s").property())
			.isEqualTo("mcp.connector.governance.rate-limits.per-user.period");
	}

	@Test
	void validateWhenApprovalLifetimeZeroThenFails() {
		assertThat(invalid("mcp.connector.governance.approval.lifetime=0s").property())
			.isEqualTo("mcp.connector.governance.approval.lifetime");
	}

	@Test
	void validateWhenMaxSessionsZeroThenFails() {
		assertThat(invalid("mcp.connector.client.max-sessions=0").getMessage())
			.isEqualTo("mcp.connector.client.max-sessions must be positive, but was 0");
	}

	@Test
	void validateWhenClientMaxResponseSizeOverTwoGigabytesThenFails() {
		assertThat(invalid("mcp.connector.client.max-response-size=3GB").property())
			.isEqualTo("mcp.connector.client.max-response-size");
	}

	@Test
	void validateWhenMaxRedirectsNegativeThenFails() {
		assertThat(invalid("mcp.connector.egress.max-redirects=-1").property())
			.isEqualTo("mcp.connector.egress.max-redirects");
	}

	@Test
	void validateWhenEgressReadTimeoutZeroThenFails() {
		assertThat(invalid("mcp.connector.egress.read-timeout=0s").property())
			.isEqualTo("mcp.connector.egress.read-timeout");
	}

	@Test
	void validateWhenSchemaNameIsNoPlainIdentifierThenFails() {
		assertThat(invalid("mcp.connector.schema.name=connector; drop table x").property())
			.isEqualTo("mcp.connector.schema.name");
	}

	@Test
	void validateWhenSchemaNameHasUpperCaseThenFails() {
		assertThat(invalid("mcp.connector.schema.name=Connector").getMessage()).contains("lower-case");
	}

	@Test
	void validateWhenHistoryTableIsNoPlainIdentifierThenFails() {
		assertThat(invalid("mcp.connector.schema.history-table=history; drop").property())
			.isEqualTo("mcp.connector.schema.history-table");
	}

	@Test
	void validateWhenSchemaNameIsAPlainIdentifierThenPasses() {
		assertThatNoException().isThrownBy(() -> bind("mcp.connector.schema.name=mcp_connector_2").validate());
	}

	@Test
	void validateWhenAuditBatchSizeZeroThenFails() {
		assertThat(invalid("mcp.connector.audit.batch-size=0").property()).isEqualTo("mcp.connector.audit.batch-size");
	}

	@Test
	void validateWhenRetentionIntervalZeroThenFails() {
		assertThat(invalid("mcp.connector.retention.interval=0s").property())
			.isEqualTo("mcp.connector.retention.interval");
	}

	@Test
	void validateWhenRetentionAuditZeroThenPasses() {
		assertThatNoException().isThrownBy(() -> bind("mcp.connector.retention.audit=0s").validate());
	}

	@Test
	void validateWhenConnectionCheckBatchSizeZeroThenFails() {
		assertThat(invalid("mcp.connector.connection-check.batch-size=0").property())
			.isEqualTo("mcp.connector.connection-check.batch-size");
	}

	@Test
	void validateWhenGatewayServerNameEmptyThenFails() {
		assertThat(invalid("mcp.connector.gateway.server-name=").property())
			.isEqualTo("mcp.connector.gateway.server-name");
	}

	@Test
	void validateWhenEncryptionKeyTooShortThenTypedFailureWithoutTheKey() {
		String shortKey = Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		McpConnectorProperties properties = bind("mcp.connector.encryption.keys.k1=" + shortKey);
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(properties::validate)
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_ENCRYPTION_KEY))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(shortKey));
	}

	@Test
	void validateWhenNoEncryptionKeyThenPassesForACipherOfTheApplicationsOwn() {
		assertThatNoException().isThrownBy(() -> bind().validate());
	}

	@Test
	void validateWhenPrivateKeyValidThenPasses() throws Exception {
		assertThatNoException().isThrownBy(() -> bind("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
				"mcp.connector.registration.clients.corp.client-id=app",
				"mcp.connector.registration.clients.corp.private-key=" + ecPrivateKeyPem())
			.validate());
	}

	@Test
	void toStringWhenSecretsSetThenRedacted() {
		McpConnectorProperties properties = bind("mcp.connector.registration.clients.corp.client-secret=s3cret",
				"mcp.connector.encryption.keys.k1=c2VjcmV0LWtleS1tYXRlcmlhbA==");
		assertThat(properties.getRegistration().getClients().get("corp").toString()).doesNotContain("s3cret");
		assertThat(properties.getEncryption().toString()).contains("k1").doesNotContain("c2VjcmV0");
	}

	static String ecPrivateKeyPem() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		return "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----";
	}

}
