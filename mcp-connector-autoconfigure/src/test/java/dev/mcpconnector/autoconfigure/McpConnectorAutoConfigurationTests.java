package dev.mcpconnector.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.authorization.PendingAuthorization;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.authorization.RefreshLock;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.discovery.MetadataDiscovery;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.execution.McpClientSettings;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.jpa.JpaKeyRotation;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.policy.ToolPolicy;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.registration.StoredClientRegistration;
import dev.mcpconnector.scheduling.TestJobs;
import dev.mcpconnector.test.TestOAuthPeer;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpConnectorAutoConfiguration}: the core beans, each backing off, and readable
 * failures for bad configuration.
 */
class McpConnectorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TestContextRunners.connector();

	/** The core alone, without governance, and without a key. */
	private final ApplicationContextRunner coreWithoutKey = TestContextRunners.jpa()
		.withConfiguration(AutoConfigurations.of(McpConnectorAutoConfiguration.class));

	@Test
	void contextWhenDefaultsThenProvidesEveryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AesGcmSecretCipher.class)
				.hasSingleBean(OwnerResolver.class)
				.hasSingleBean(McpConnectionService.class)
				.hasSingleBean(McpConnectionRepository.class)
				.hasSingleBean(ClientRegistrationStore.class)
				.hasSingleBean(PendingAuthorizationStore.class)
				.hasBean(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN)
				.hasSingleBean(JpaKeyRotation.class)
				.hasSingleBean(RefreshLock.class)
				.hasSingleBean(McpToolExecutor.class)
				.doesNotHaveBean("mcpConnectorConnectionCheckJob");
			McpOwner owner = McpOwner.of("alice");
			McpConnection created = context.getBean(McpConnectionService.class)
				.create(owner, NewConnection.of("https://mcp.example.com/mcp"), ConnectionStatus.AUTHORIZATION_REQUIRED);
			assertThat(context.getBean(McpConnectionService.class).get(owner, created.id())).isEqualTo(created);
		});
	}

	@Test
	void contextWhenGovernanceAutoConfigurationAbsentThenCoreStartsAlone() {
		this.coreWithoutKey.withPropertyValues("mcp.connector.encryption.keys.k1=" + TestContextRunners.key())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(McpToolExecutor.class)
				.doesNotHaveBean(ToolPolicy.class));
	}

	@Test
	void secretCipherWhenUserDefinedThenBacksOffAndNeedsNoKey() {
		this.coreWithoutKey.withBean("kmsCipher", SecretCipher.class, PassThroughCipher::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SecretCipher.class)
				.getBean(SecretCipher.class)
				.isInstanceOf(PassThroughCipher.class));
	}

	@Test
	void keyRotationWhenUserDefinedThenBacksOff() {
		this.contextRunner.withUserConfiguration(CustomKeyRotation.class)
			.run((context) -> assertThat(context.getBeanNamesForType(JpaKeyRotation.class))
				.containsExactly("customKeyRotation"));
	}

	@Test
	void keyRotationWhenCipherIsTheApplicationsOwnThenAbsent() {
		this.coreWithoutKey.withBean("kmsCipher", SecretCipher.class, PassThroughCipher::new)
			.run((context) -> assertThat(context).doesNotHaveBean(JpaKeyRotation.class));
	}

	@Test
	void ownerResolverWhenUserDefinedThenBacksOff() {
		OwnerResolver custom = (authentication) -> McpOwner.of("t1", authentication.getName());
		this.contextRunner.withBean(OwnerResolver.class, () -> custom)
			.run((context) -> assertThat(context).getBean(OwnerResolver.class).isSameAs(custom));
	}

	@Test
	void connectionServiceWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("myService", McpConnectionService.class,
					() -> new McpConnectionService(new EmptyRepository(), Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(McpConnectionService.class).hasBean("myService"));
	}

	@Test
	void connectionRepositoryWhenUserDefinedThenBacksOff() {
		this.contextRunner.withBean(McpConnectionRepository.class, EmptyRepository::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(McpConnectionRepository.class)
					.getBean(McpConnectionRepository.class)
					.isInstanceOf(EmptyRepository.class);
				assertThat(context).getBean(McpConnectionService.class).isNotNull();
			});
	}

	@Test
	void refreshLockWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customRefreshLock", RefreshLock.class,
					RefreshLock::local)
			.run((context) -> assertThat(context.getBeanNamesForType(RefreshLock.class))
				.containsExactly("customRefreshLock"));
	}

	@Test
	void clientRegistrationStoreWhenUserDefinedThenBacksOff() {
		ClientRegistrationStore custom = new ClientRegistrationStore() {
			@Override
			public Optional<StoredClientRegistration> find(String issuer) {
				return Optional.empty();
			}

			@Override
			public void save(StoredClientRegistration registration) {
			}

			@Override
			public void delete(String issuer) {
			}
		};
		this.contextRunner.withBean(ClientRegistrationStore.class, () -> custom)
			.run((context) -> assertThat(context).getBean(ClientRegistrationStore.class).isSameAs(custom));
	}

	@Test
	void pendingAuthorizationStoreWhenUserDefinedThenBacksOff() {
		PendingAuthorizationStore custom = new PendingAuthorizationStore() {
			@Override
			public void save(PendingAuthorization pending) {
			}

			@Override
			public Optional<PendingAuthorization> consume(String stateHash) {
				return Optional.empty();
			}

			@Override
			public int deleteExpired(java.time.Instant now) {
				return 0;
			}
		};
		this.contextRunner.withBean(PendingAuthorizationStore.class, () -> custom)
			.run((context) -> assertThat(context).getBean(PendingAuthorizationStore.class).isSameAs(custom));
	}

	@Test
	void schemaMigratorWhenUserDefinedByNameThenBacksOff() {
		InitializingBean custom = McpConnectorTables.inSchema(null)
			.migrator(TestContextRunners.database().dataSource(), "mcp_connector_schema_history");
		this.contextRunner
			.withBean(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN, InitializingBean.class, () -> custom)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN)
				.isSameAs(custom));
	}

	@Test
	void tablesWhenSchemaNameSetThenInThatSchema() {
		this.contextRunner.withPropertyValues("mcp.connector.schema.name=connector_tables_test")
			.run((context) -> assertThat(context.getBean(McpConnectorTables.class).schema())
				.isEqualTo("connector_tables_test"));
	}

	@Test
	void tablesWhenUserDefinedThenBacksOff() {
		McpConnectorTables custom = McpConnectorTables.inSchema(null);
		this.contextRunner.withBean(McpConnectorTables.class, () -> custom)
			.run((context) -> assertThat(context).getBean(McpConnectorTables.class).isSameAs(custom));
	}

	@Test
	void schemaMigratorWhenDisabledThenAbsent() {
		this.contextRunner.withPropertyValues("mcp.connector.schema.migrate=false", "spring.jpa.hibernate.ddl-auto=none")
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectorAutoConfiguration.SCHEMA_MIGRATOR_BEAN));
	}

	@Test
	void connectionCheckJobWhenEnabledThenDefined() {
		this.contextRunner.withPropertyValues("mcp.connector.connection-check.enabled=true")
			.run((context) -> assertThat(context).hasBean("mcpConnectorConnectionCheckJob"));
	}

	@Test
	void connectionCheckJobWhenUserDefinedByNameThenBacksOff() {
		this.contextRunner.withPropertyValues("mcp.connector.connection-check.enabled=true")
			.withUserConfiguration(CustomConnectionCheckJob.class)
			.run((context) -> assertThat(context.getBean("mcpConnectorConnectionCheckJob"))
				.isInstanceOf(TestJobs.NoOpJob.class));
	}

	@Test
	void contextWhenNoKeyThenFailsWithReadableAnalysis() {
		this.coreWithoutKey.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(McpConnectorException.class,
						(ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_ENCRYPTION_KEY))
				.hasMessageContaining("No encryption key is configured");
			FailureAnalysis analysis = analyzeWithRegisteredAnalyzers(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("cannot encrypt stored tokens");
			assertThat(analysis.getAction()).contains("mcp.connector.encryption.keys.k1=")
				.contains("openssl rand -base64 32")
				.contains("SecretCipher");
		});
	}

	@Test
	void contextWhenKeyTooShortThenFailsWithoutEchoingIt() {
		String shortKey = Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		this.coreWithoutKey.withPropertyValues("mcp.connector.encryption.keys.k1=" + shortKey).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyzeWithRegisteredAnalyzers(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("8 bytes").doesNotContain(shortKey);
		});
	}

	@Test
	void failureAnalyzerIsRegistered() {
		assertThat(registeredFailureAnalyzers()).extracting((analyzer) -> analyzer.getClass().getName())
			.contains("dev.mcpconnector.crypto.InvalidEncryptionKeyFailureAnalyzer");
	}

	@Test
	void invalidPropertyFailureAnalyzerIsRegistered() {
		assertThat(registeredFailureAnalyzers()).anyMatch(InvalidMcpConnectorPropertyFailureAnalyzer.class::isInstance);
	}

	@Test
	void contextWhenPropertyInvalidThenFailsWithAnalysisNamingIt() {
		this.contextRunner.withPropertyValues("mcp.connector.client.max-sessions=0").run((context) -> {
			assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidMcpConnectorPropertyException.class)
				.hasMessage("mcp.connector.client.max-sessions must be positive, but was 0");
			FailureAnalysis analysis = new InvalidMcpConnectorPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Property: mcp.connector.client.max-sessions");
			assertThat(analysis.getAction()).contains("MCP_CONNECTOR_CLIENT_MAX_SESSIONS");
		});
	}

	@Test
	void authorizationAndExecutionBeansWhenUserDefinedThenBackOff() {
		this.contextRunner.withUserConfiguration(CustomCoreBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : List.of(EgressPolicy.class, EgressHttpClient.class, MetadataDiscovery.class,
					PreRegisteredClients.class, ClientRegistrationResolver.class, McpAuthorizationService.class,
					McpToolExecutor.class)) {
				assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName())
					.containsExactly("custom" + type.getSimpleName());
			}
		});
	}

	@Test
	void idTokenVerifierAndServerProbeWhenContextStartsThenBuiltByTheAuthorizationServiceNotBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(McpAuthorizationService.class);
			assertThat(context.getBeanDefinitionNames()).doesNotContain("mcpConnectorIdTokenVerifier",
					"mcpConnectorServerProbe");
		});
	}

	@Test
	void openIdConnectWhenOnByDefaultThenOpenIdProvidersAreAskedForAnIdToken() {
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			peer.oidc = true;
			this.contextRunner.withPropertyValues("mcp.connector.egress.allow-insecure-loopback=true")
				.run((context) -> assertThat(connect(peer).apply(context)).contains("nonce=").contains("openid"));
		}
	}

	@Test
	void openIdConnectWhenOffThenNoIdTokenIsAskedFor() {
		try (TestOAuthPeer peer = new TestOAuthPeer()) {
			peer.oidc = true;
			this.contextRunner
				.withPropertyValues("mcp.connector.egress.allow-insecure-loopback=true",
						"mcp.connector.authorization.open-id-connect=false")
				.run((context) -> assertThat(connect(peer).apply(context)).doesNotContain("nonce=")
					.doesNotContain("openid")
					.contains("code_challenge="));
		}
	}

	@Test
	void preRegisteredClientsWhenConfiguredThenKeyedByIssuer() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app",
					"mcp.connector.registration.clients.corp.client-secret=s3cret")
			.run((context) -> {
				PreRegisteredClients clients = context.getBean(PreRegisteredClients.class);
				assertThat(clients.find("https://login.example.com")).hasValueSatisfying((c) -> {
					assertThat(c.clientId()).isEqualTo("app");
					assertThat(c.authMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
					assertThat(c.toString()).doesNotContain("s3cret");
				});
				assertThat(clients.find("https://login.example.com/")).isEmpty();
			});
	}

	@Test
	void preRegisteredClientsWhenIssuerMissingThenFails() {
		this.contextRunner.withPropertyValues("mcp.connector.registration.clients.corp.client-id=app")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("needs both an issuer and a client-id"));
	}

	@Test
	void preRegisteredClientsWhenPrivateKeyConfiguredThenPrivateKeyJwt() throws Exception {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app",
					"mcp.connector.registration.clients.corp.private-key=" + McpConnectorPropertiesTests.ecPrivateKeyPem(),
					"mcp.connector.registration.clients.corp.key-id=k-2026")
			.run((context) -> assertThat(context.getBean(PreRegisteredClients.class).find("https://login.example.com"))
				.hasValueSatisfying((client) -> {
					assertThat(client.authMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
					assertThat(client.privateKey().getAlgorithm()).isEqualTo("EC");
					assertThat(client.keyId()).isEqualTo("k-2026");
					assertThat(client.toString()).doesNotContain("BEGIN");
				}));
	}

	@Test
	void preRegisteredClientsWhenPrivateKeyMalformedThenFails() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app",
					"mcp.connector.registration.clients.corp.private-key=not a key")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("private-key")
				.hasMessageNotContaining("not a key"));
	}

	@Test
	void dynamicRegistrationApplicationTypeWhenUnknownThenFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.dynamic.corp.issuer=https://login.example.com",
					"mcp.connector.registration.dynamic.corp.application-type=browser")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mcp.connector.registration.dynamic.corp.application-type")
				.hasMessageContaining("native"));
	}

	@Test
	void dynamicRegistrationApplicationTypeWhenValidThenTheResolverStarts() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.dynamic.corp.issuer=https://login.example.com",
					"mcp.connector.registration.dynamic.corp.application-type=web")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ClientRegistrationResolver.class));
	}

	@Test
	void clientMetadataDocumentUrlWhenNotHttpsThenFails() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.client-metadata-document-url=http://app.example.com/cimd.json")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be an https URL"));
	}

	private static Function<ApplicationContext, String> connect(TestOAuthPeer peer) {
		return (context) -> context.getBean(McpAuthorizationService.class)
			.connect(McpOwner.of("oidc-" + UUID.randomUUID()), NewConnection.of(peer.mcpUrl()), null,
					URI.create("http://127.0.0.1/callback"))
			.authorizationUrl()
			.getRawQuery();
	}

	/** The analysis of the first registered analyzer that explains the failure (the key one is package-private). */
	private static FailureAnalysis analyzeWithRegisteredAnalyzers(Throwable failure) {
		return registeredFailureAnalyzers().stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(java.util.Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static List<FailureAnalyzer> registeredFailureAnalyzers() {
		return SpringFactoriesLoader.forDefaultResourceLocation(McpConnectorAutoConfigurationTests.class.getClassLoader())
			.load(FailureAnalyzer.class, null, (type, name, failure) -> {
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomKeyRotation {

		@Bean
		JpaKeyRotation customKeyRotation(EntityManagerFactory entityManagerFactory,
				PlatformTransactionManager transactionManager, AesGcmSecretCipher cipher, McpConnectorTables tables) {
			return new JpaKeyRotation(entityManagerFactory, transactionManager, cipher, cipher.activeKeyId(), tables);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConnectionCheckJob {

		@Bean
		SmartLifecycle mcpConnectorConnectionCheckJob() {
			return new TestJobs.NoOpJob();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCoreBeans {

		@Bean
		EgressPolicy customEgressPolicy() {
			return EgressPolicy.strict();
		}

		@Bean
		EgressHttpClient customEgressHttpClient(EgressPolicy policy) {
			return new EgressHttpClient(policy, Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 0);
		}

		@Bean
		MetadataDiscovery customMetadataDiscovery(EgressHttpClient http) {
			return new MetadataDiscovery(http, Set.of());
		}

		@Bean
		PreRegisteredClients customPreRegisteredClients() {
			return PreRegisteredClients.none();
		}

		@Bean
		ClientRegistrationResolver customClientRegistrationResolver(EgressHttpClient http,
				ClientRegistrationStore store, PreRegisteredClients clients) {
			return new ClientRegistrationResolver(http, store, clients, null, "custom", Clock.systemUTC());
		}

		@Bean
		McpAuthorizationService customMcpAuthorizationService(McpConnectionService connections,
				PendingAuthorizationStore pending, MetadataDiscovery discovery, ClientRegistrationResolver registrations,
				EgressHttpClient http, EgressPolicy policy) {
			return McpAuthorizationService.builder()
				.connections(connections)
				.pendingAuthorizations(pending)
				.discovery(discovery)
				.registrations(registrations)
				.http(http)
				.clientInfo("custom", "1")
				.egressPolicy(policy)
				.stateLifetime(Duration.ofMinutes(5))
				.refreshSkew(Duration.ofSeconds(5))
				.build();
		}

		@Bean
		McpToolExecutor customMcpToolExecutor(McpConnectionService connections, McpAuthorizationService authorization,
				EgressHttpClient http) {
			return new McpToolExecutor(connections, authorization, http,
					new McpClientSettings("custom", "1", Duration.ofSeconds(1), Duration.ofSeconds(1), null));
		}

	}

	static class PassThroughCipher implements SecretCipher {

		@Override
		public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
			return plaintext.clone();
		}

		@Override
		public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
			return ciphertext.clone();
		}

	}

	static class EmptyRepository implements McpConnectionRepository {

		@Override
		public McpConnection insert(McpConnection connection) {
			return connection;
		}

		@Override
		public McpConnection update(McpConnection connection) {
			return connection;
		}

		@Override
		public List<McpConnection> findAll(McpOwner owner) {
			return List.of();
		}

		@Override
		public Optional<McpConnection> find(McpOwner owner, UUID id) {
			return Optional.empty();
		}

		@Override
		public boolean delete(McpOwner owner, UUID id) {
			return false;
		}

		@Override
		public void saveCredentials(McpOwner owner, UUID id, ConnectionCredentials credentials) {
		}

		@Override
		public Optional<ConnectionCredentials> findCredentials(McpOwner owner, UUID id) {
			return Optional.empty();
		}

		@Override
		public void deleteCredentials(McpOwner owner, UUID id) {
		}

	}

}
