package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.authorization.McpAuthorizationService.AuthorizationStart;
import dev.mcpconnector.autoconfigure.McpConnectorAutoConfiguration;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestOAuthPeer;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility suite of real provider shapes. Each provider's published discovery documents
 * and documented behaviours (sources in {@link ProviderShapes}) are replayed by one loopback
 * {@link ProviderShapeStub}, and the connector, auto-configured as an application gets it (in
 * memory, no database), links a server behind it: discovery, a registered or pre-registered
 * client, the authorization URL, the callback with the stub's code, the token exchange (and ID
 * token), a tool call. A provider that fails must fail with a Problem whose detail names the
 * per-issuer setting that fixes it; the suite then sets exactly that and goes on, until it links
 * and calls. One row per provider is printed.
 */
class ProviderCompatibilityTests {

	private static ProviderShapeStub stub;

	private static final List<String> rows = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		stub = new ProviderShapeStub();
	}

	@AfterAll
	static void stop() {
		rows.forEach(System.out::println);
		stub.close();
	}

	@Test
	void everyProviderLinksAndCallsOrNamesTheSettingThatFixesIt() {
		List<String> failures = new ArrayList<>();
		for (ProviderShapes.Provider provider : ProviderShapes.all(stub)) {
			Map<String, String> settings = new LinkedHashMap<>();
			List<String> needed = new ArrayList<>();
			String outcome = null;
			for (int attempt = 0; attempt <= provider.fixes().size() && outcome == null; attempt++) {
				try {
					String result = linkAndCall(provider, settings);
					outcome = needed.isEmpty() ? "works out of the box: " + result
							: "works with " + String.join(" + ", needed) + ": " + result;
				}
				catch (McpConnectorException ex) {
					ProviderShapes.Fix fix = provider.fixes()
						.stream()
						.filter((candidate) -> ex.getMessage().contains(candidate.named()))
						.filter((candidate) -> !needed.contains(candidate.named()))
						.findFirst()
						.orElse(null);
					if (fix == null) {
						outcome = "FAILS with " + ex.error().code() + " naming no setting: " + ex.getMessage();
						failures.add(provider.name() + ": " + outcome);
					}
					else {
						needed.add(fix.named());
						settings.putAll(fix.properties());
						rows.add("[Compatibility suite]     " + provider.name() + ": " + ex.error().code() + " \""
								+ ex.getMessage() + "\"");
					}
				}
			}
			if (outcome == null) {
				outcome = "FAILS after " + needed;
				failures.add(provider.name() + ": " + outcome);
			}
			if (!needed.isEmpty() && !needed.equals(provider.fixes().stream().map(ProviderShapes.Fix::named).toList())) {
				failures.add(provider.name() + ": needed " + needed + ", documented " + provider.fixes());
			}
			rows.add("[Compatibility suite] %-32s %s".formatted(provider.name(), outcome));
		}
		assertThat(failures).isEmpty();
	}

	private String linkAndCall(ProviderShapes.Provider provider, Map<String, String> settings) {
		List<String> properties = new ArrayList<>(List.of("mcp.connector.encryption.keys.k1=" + TestKeys.newBase64Key(),
				"mcp.connector.egress.allow-insecure-loopback=true"));
		settings.forEach((name, value) -> properties.add(name + "=" + value));
		String[] result = new String[1];
		RuntimeException[] failure = new RuntimeException[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpConnectorAutoConfiguration.class))
			.withUserConfiguration(InMemoryStores.class)
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				McpAuthorizationService authorization = context.getBean(McpAuthorizationService.class);
				McpToolExecutor executor = context.getBean(McpToolExecutor.class);
				McpOwner owner = McpOwner.of("alice");
				try {
					AuthorizationStart start = authorization.connect(owner,
							NewConnection.of(stub.local(provider.serverUrl())), null,
							URI.create("http://127.0.0.1/callback"));
					URI redirect = TestOAuthPeer.authorizeRedirect(start.authorizationUrl());
					Map<String, String> query = new LinkedHashMap<>();
					for (String pair : redirect.getRawQuery().split("&")) {
						String[] kv = pair.split("=", 2);
						query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
					}
					authorization.complete(owner,
							new CallbackParameters(query.get("code"), query.get("state"), query.get("iss"), null, null));
					McpSchema.CallToolResult call = executor.callTool(owner, start.connection().id(), "echo",
							Map.of("message", "hi"));
					var account = context.getBean(dev.mcpconnector.connection.McpConnectionService.class)
						.get(owner, start.connection().id())
						.remoteAccount();
					result[0] = "linked, "
							+ ((account != null) ? "signed in as " + account.email() + ", " : "")
							+ "echo -> " + ((McpSchema.TextContent) call.content().get(0)).text();
				}
				catch (RuntimeException ex) {
					failure[0] = ex;
				}
			});
		if (failure[0] != null) {
			throw failure[0];
		}
		return result[0];
	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryStores {

		@Bean
		McpConnectionRepository mcpConnectionRepository() {
			return McpConnectionRepository.inMemory();
		}

		@Bean
		ClientRegistrationStore clientRegistrationStore() {
			return ClientRegistrationStore.inMemory();
		}

		@Bean
		PendingAuthorizationStore pendingAuthorizationStore() {
			return PendingAuthorizationStore.inMemory();
		}

	}

}
