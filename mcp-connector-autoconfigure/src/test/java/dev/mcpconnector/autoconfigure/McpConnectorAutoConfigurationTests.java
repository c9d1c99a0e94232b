package dev.mcpconnector.autoconfigure;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.ai.springai.McpToolCallbacks;
import dev.mcpconnector.authorization.PendingAuthorization;
import dev.mcpconnector.authorization.PendingAuthorizationStore;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.crypto.AesGcmSecretCipher;
import dev.mcpconnector.crypto.InvalidEncryptionKeyException;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.jpa.JpaMcpConnectionRepository;
import dev.mcpconnector.jpa.McpConnectorSchemaMigrator;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.StoredClientRegistration;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import dev.mcpconnector.web.McpConnectionController;
import dev.mcpconnector.web.McpConnectorProblemHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

class McpConnectorAutoConfigurationTests {

	private static TestDatabase database;

	private static String key;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
				McpConnectorAutoConfiguration.class, McpConnectorWebAutoConfiguration.class))
		.withPropertyValues(database.springProperties())
		.withPropertyValues("mcp.connector.encryption.keys.k1=" + key);

	@BeforeAll
	static void database() {
		database = TestPostgres.newDatabase();
		key = TestKeys.newBase64Key();
	}

	@Test
	void contextWhenDefaultsThenProvidesEveryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AesGcmSecretCipher.class)
				.hasSingleBean(OwnerResolver.class)
				.hasSingleBean(McpConnectionService.class)
				.hasSingleBean(JpaMcpConnectionRepository.class)
				.hasSingleBean(ClientRegistrationStore.class)
				.hasSingleBean(PendingAuthorizationStore.class)
				.hasSingleBean(McpConnectorSchemaMigrator.class)
				.doesNotHaveBean(McpConnectionController.class);
			McpOwner owner = McpOwner.of("alice");
			McpConnection created = context.getBean(McpConnectionService.class)
				.create(owner, dev.mcpconnector.connection.NewConnection.of("https://mcp.example.com/mcp"),
						dev.mcpconnector.connection.ConnectionStatus.AUTHORIZATION_REQUIRED);
			assertThat(context.getBean(McpConnectionService.class).get(owner, created.id())).isEqualTo(created);
		});
	}

	@Test
	void secretCipherWhenUserDefinedThenBacksOffAndNeedsNoKey() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withBean("kmsCipher", SecretCipher.class, PassThroughCipher::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SecretCipher.class)
				.getBean(SecretCipher.class)
				.isInstanceOf(PassThroughCipher.class));
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
					() -> new McpConnectionService(new EmptyRepository(), java.time.Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(McpConnectionService.class)
				.hasBean("myService"));
	}

	@Test
	void connectionRepositoryWhenUserDefinedThenBacksOff() {
		this.contextRunner.withBean(McpConnectionRepository.class, EmptyRepository::new)
			.run((context) -> assertThat(context).hasSingleBean(McpConnectionRepository.class)
				.doesNotHaveBean(JpaMcpConnectionRepository.class)
				.getBean(McpConnectionService.class)
				.isNotNull());
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
	void schemaMigratorWhenUserDefinedThenBacksOff() {
		this.contextRunner
			.withBean("customMigrator", McpConnectorSchemaMigrator.class,
					() -> new McpConnectorSchemaMigrator(database.dataSource(), "mcp_connector_schema_history", null))
			.run((context) -> assertThat(context).hasSingleBean(McpConnectorSchemaMigrator.class)
				.hasBean("customMigrator"));
	}

	@Test
	void schemaMigratorWhenDisabledThenAbsent() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + key, "mcp.connector.schema.migrate=false",
					"spring.jpa.hibernate.ddl-auto=none")
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectorSchemaMigrator.class));
	}

	@Test
	void contextWhenNoKeyThenFailsWithReadableAnalysis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidEncryptionKeyException.class)
					.hasMessageContaining("No encryption key is configured");
				FailureAnalysis analysis = new InvalidEncryptionKeyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("cannot encrypt stored tokens");
				assertThat(analysis.getAction()).contains("mcp.connector.encryption.keys.k1=")
					.contains("openssl rand -base64 32")
					.contains("SecretCipher");
			});
	}

	@Test
	void contextWhenKeyTooShortThenFailsWithoutEchoingIt() {
		String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, McpConnectorAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + shortKey)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidEncryptionKeyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("8 bytes").doesNotContain(shortKey);
			});
	}

	@Test
	void failureAnalyzerIsRegistered() {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, (type, name, failure) -> {
			});
		assertThat(analyzers).anyMatch(InvalidEncryptionKeyFailureAnalyzer.class::isInstance);
	}

	@Test
	void webBeansWhenServletAppThenPresentAndBackOff() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
					WebMvcAutoConfiguration.class, McpConnectorAutoConfiguration.class,
					McpConnectorWebAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + key);
		web.run((context) -> assertThat(context).hasSingleBean(McpConnectionController.class)
			.hasSingleBean(McpConnectorProblemHandler.class));
		web.withUserConfiguration(CustomWebBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : List.of(McpConnectionController.class, McpConnectorProblemHandler.class,
					dev.mcpconnector.web.McpAuthorizationController.class, dev.mcpconnector.web.WebPaths.class)) {
				assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName())
					.containsExactly("custom" + type.getSimpleName());
			}
		});
		web.withPropertyValues("mcp.connector.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectionController.class));
		web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(McpConnectionController.class));
		web.withPropertyValues("mcp.connector.web.base-path=api/mcp/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("mcp.connector.web.base-path must start with '/'"));
	}

	@Test
	void springAiToolCallbackProviderWhenSpringAiPresentThenDefinedAndBacksOff() {
		ApplicationContextRunner ai = this.contextRunner
			.withConfiguration(AutoConfigurations.of(McpConnectorSpringAiAutoConfiguration.class));
		ai.run((context) -> assertThat(context).hasSingleBean(McpToolCallbacks.class)
			.getBean(McpToolCallbacks.class)
			.satisfies((provider) -> assertThat(provider.getToolCallbacks()).as("no user, no tools").isEmpty()));
		// Spring AI collects ToolCallbackProvider beans once into a shared resolver; per-user
		// callbacks must never end up there.
		ai.run((context) -> assertThat(context.getBeanNamesForType(ToolCallbackProvider.class)).isEmpty());
		ai.withBean("customMcpToolCallbacks", McpToolCallbacks.class,
				() -> new McpToolCallbacks(org.mockito.Mockito.mock(dev.mcpconnector.execution.McpToolExecutor.class)))
			.run((context) -> assertThat(context.getBeanNamesForType(McpToolCallbacks.class))
				.containsExactly("customMcpToolCallbacks"));
		ai.withPropertyValues("mcp.connector.spring-ai.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpToolCallbacks.class));
		ai.withClassLoader(new FilteredClassLoader(ToolCallbackProvider.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(McpToolCallbacks.class));
	}

	@Test
	void gatewayWhenEnabledThenServedUnderTheBasePathAndOtherwiseAbsent() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
					McpConnectorAutoConfiguration.class, McpConnectorGatewayAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withPropertyValues("mcp.connector.encryption.keys.k1=" + key);
		web.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorGatewayServlet"));
		web.withPropertyValues("mcp.connector.gateway.enabled=true", "mcp.connector.web.base-path=/connector")
			.run((context) -> assertThat(context.getBean("mcpConnectorGatewayServlet",
					org.springframework.boot.web.servlet.ServletRegistrationBean.class)
				.getUrlMappings()).containsExactly("/connector/gateway/mcp"));
		this.contextRunner.withConfiguration(AutoConfigurations.of(McpConnectorGatewayAutoConfiguration.class))
			.withPropertyValues("mcp.connector.gateway.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpConnectorGatewayServlet"));
	}

	@Test
	void authorizationAndExecutionBeansWhenUserDefinedThenBackOff() {
		this.contextRunner.withUserConfiguration(CustomCoreBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : List.of(dev.mcpconnector.egress.EgressPolicy.class,
					dev.mcpconnector.egress.EgressHttpClient.class, dev.mcpconnector.discovery.MetadataDiscovery.class,
					dev.mcpconnector.registration.PreRegisteredClients.class,
					dev.mcpconnector.registration.ClientRegistrationResolver.class,
					dev.mcpconnector.discovery.McpServerProbe.class,
					dev.mcpconnector.authorization.McpAuthorizationService.class,
					dev.mcpconnector.execution.McpToolExecutor.class)) {
				assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName())
					.containsExactly("custom" + type.getSimpleName());
			}
		});
	}

	@Test
	void idTokenVerifierWhenUserDefinedThenBacksOff() {
		dev.mcpconnector.authorization.IdTokenVerifier custom = new dev.mcpconnector.authorization.IdTokenVerifier(
				new dev.mcpconnector.egress.EgressHttpClient(dev.mcpconnector.egress.EgressPolicy.strict(),
						java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 1024, 0),
				java.time.Duration.ZERO);
		this.contextRunner.withBean(dev.mcpconnector.authorization.IdTokenVerifier.class, () -> custom)
			.run((context) -> assertThat(context).getBean(dev.mcpconnector.authorization.IdTokenVerifier.class)
				.isSameAs(custom));
	}

	@Test
	void openIdConnectWhenOnByDefaultThenOpenIdProvidersAreAskedForAnIdTokenAndWhenOffNot() {
		try (dev.mcpconnector.test.TestOAuthPeer peer = new dev.mcpconnector.test.TestOAuthPeer()) {
			peer.oidc = true;
			java.util.function.Function<org.springframework.context.ApplicationContext, String> connect = (context) -> {
				java.net.URI url = context.getBean(dev.mcpconnector.authorization.McpAuthorizationService.class)
					.connect(McpOwner.of("oidc-" + java.util.UUID.randomUUID()),
							dev.mcpconnector.connection.NewConnection.of(peer.mcpUrl()), null,
							java.net.URI.create("http://127.0.0.1/callback"))
					.authorizationUrl();
				return url.getRawQuery();
			};
			this.contextRunner.withPropertyValues("mcp.connector.egress.allow-insecure-loopback=true")
				.run((context) -> assertThat(connect.apply(context)).contains("nonce=").contains("openid"));
			this.contextRunner
				.withPropertyValues("mcp.connector.egress.allow-insecure-loopback=true",
						"mcp.connector.authorization.open-id-connect=false")
				.run((context) -> assertThat(connect.apply(context)).doesNotContain("nonce=")
					.doesNotContain("openid")
					.contains("code_challenge="));
		}
	}

	@Test
	void preRegisteredClientsWhenConfiguredThenKeyedByIssuer() {
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app", "mcp.connector.registration.clients.corp.client-secret=s3cret")
			.run((context) -> {
				var clients = context.getBean(dev.mcpconnector.registration.PreRegisteredClients.class);
				assertThat(clients.find("https://login.example.com")).hasValueSatisfying((c) -> {
					assertThat(c.clientId()).isEqualTo("app");
					assertThat(c.authMethod())
						.isEqualTo(dev.mcpconnector.registration.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
					assertThat(c.toString()).doesNotContain("s3cret");
				});
				assertThat(clients.find("https://login.example.com/")).isEmpty();
			});
		this.contextRunner.withPropertyValues("mcp.connector.registration.clients.corp.client-id=app")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("needs both an issuer and a client-id"));
	}

	@Test
	void preRegisteredClientsWhenPrivateKeyConfiguredThenPrivateKeyJwt() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder()
			.encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app",
					"mcp.connector.registration.clients.corp.private-key=" + pem,
					"mcp.connector.registration.clients.corp.key-id=k-2026")
			.run((context) -> assertThat(context.getBean(dev.mcpconnector.registration.PreRegisteredClients.class)
				.find("https://login.example.com")).hasValueSatisfying((client) -> {
					assertThat(client.authMethod())
						.isEqualTo(dev.mcpconnector.registration.ClientAuthenticationMethod.PRIVATE_KEY_JWT);
					assertThat(client.privateKey().getAlgorithm()).isEqualTo("EC");
					assertThat(client.keyId()).isEqualTo("k-2026");
					assertThat(client.toString()).doesNotContain("BEGIN");
				}));
		this.contextRunner
			.withPropertyValues("mcp.connector.registration.clients.corp.issuer=https://login.example.com",
					"mcp.connector.registration.clients.corp.client-id=app",
					"mcp.connector.registration.clients.corp.private-key=not a key")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("private-key"));
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

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class CustomCoreBeans {

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.egress.EgressPolicy customEgressPolicy() {
			return dev.mcpconnector.egress.EgressPolicy.strict();
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.egress.EgressHttpClient customEgressHttpClient(dev.mcpconnector.egress.EgressPolicy policy) {
			return new dev.mcpconnector.egress.EgressHttpClient(policy, java.time.Duration.ofSeconds(1),
					java.time.Duration.ofSeconds(1), 1024, 0);
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.discovery.MetadataDiscovery customMetadataDiscovery(
				dev.mcpconnector.egress.EgressHttpClient http) {
			return new dev.mcpconnector.discovery.MetadataDiscovery(http, java.util.Set.of());
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.registration.PreRegisteredClients customPreRegisteredClients() {
			return dev.mcpconnector.registration.PreRegisteredClients.none();
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.registration.ClientRegistrationResolver customClientRegistrationResolver(
				dev.mcpconnector.egress.EgressHttpClient http, ClientRegistrationStore store,
				dev.mcpconnector.registration.PreRegisteredClients clients) {
			return new dev.mcpconnector.registration.ClientRegistrationResolver(http, store, clients, null, "custom",
					java.time.Clock.systemUTC());
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.discovery.McpServerProbe customMcpServerProbe(dev.mcpconnector.egress.EgressHttpClient http) {
			return new dev.mcpconnector.discovery.McpServerProbe(http, "custom", "1");
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.authorization.McpAuthorizationService customMcpAuthorizationService(
				McpConnectionService connections, PendingAuthorizationStore pending,
				dev.mcpconnector.discovery.MetadataDiscovery discovery,
				dev.mcpconnector.registration.ClientRegistrationResolver registrations,
				dev.mcpconnector.egress.EgressHttpClient http, dev.mcpconnector.discovery.McpServerProbe probe,
				dev.mcpconnector.egress.EgressPolicy policy) {
			return dev.mcpconnector.authorization.McpAuthorizationService.builder()
				.connections(connections)
				.pendingAuthorizations(pending)
				.discovery(discovery)
				.registrations(registrations)
				.http(http)
				.probe(probe)
				.egressPolicy(policy)
				.stateLifetime(java.time.Duration.ofMinutes(5))
				.refreshSkew(java.time.Duration.ofSeconds(5))
				.build();
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.execution.McpToolExecutor customMcpToolExecutor(McpConnectionService connections,
				dev.mcpconnector.authorization.McpAuthorizationService authorization,
				dev.mcpconnector.egress.EgressHttpClient http) {
			return new dev.mcpconnector.execution.McpToolExecutor(connections, authorization, http,
					new dev.mcpconnector.execution.McpClientSettings("custom", "1", java.time.Duration.ofSeconds(1),
							java.time.Duration.ofSeconds(1), null));
		}

	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class CustomWebBeans {

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.web.WebPaths customWebPaths() {
			return new dev.mcpconnector.web.WebPaths("/custom", null, "/");
		}

		@org.springframework.context.annotation.Bean
		McpConnectionController customMcpConnectionController(McpConnectionService connections,
				dev.mcpconnector.authorization.McpAuthorizationService authorization,
				dev.mcpconnector.execution.McpToolExecutor executor, dev.mcpconnector.web.WebPaths paths,
				OwnerResolver owners) {
			return new McpConnectionController(connections, authorization, executor, paths, owners);
		}

		@org.springframework.context.annotation.Bean
		dev.mcpconnector.web.McpAuthorizationController customMcpAuthorizationController(
				dev.mcpconnector.authorization.McpAuthorizationService authorization, dev.mcpconnector.web.WebPaths paths,
				OwnerResolver owners) {
			return new dev.mcpconnector.web.McpAuthorizationController(authorization, paths, owners, null, "custom");
		}

		@org.springframework.context.annotation.Bean
		McpConnectorProblemHandler customMcpConnectorProblemHandler() {
			return new McpConnectorProblemHandler();
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
