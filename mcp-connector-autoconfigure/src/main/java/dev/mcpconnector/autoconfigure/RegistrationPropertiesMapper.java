package dev.mcpconnector.autoconfigure;

import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.registration.ClientRegistrationSource;
import dev.mcpconnector.registration.PreRegisteredClients;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Maps {@link RegistrationProperties} to the pre-registered clients, keyed by issuer. The
 * properties are validated when bound, so every client here is complete.
 */
final class RegistrationPropertiesMapper {

	private static final Logger logger = LoggerFactory.getLogger(RegistrationPropertiesMapper.class);

	private final RegistrationProperties properties;

	RegistrationPropertiesMapper(RegistrationProperties properties) {
		Assert.notNull(properties, "properties cannot be null");
		this.properties = properties;
	}

	PreRegisteredClients asPreRegisteredClients() {
		Map<String, RegisteredClient> clients = new LinkedHashMap<>();
		Map<String, List<String>> allowedResources = new LinkedHashMap<>();
		this.properties.getClients().forEach((name, client) -> {
			clients.put(client.getIssuer(), asRegisteredClient(client));
			allowedResources.put(client.getIssuer(), List.copyOf(client.getAllowedResources()));
			if (client.getAllowedResources().isEmpty()) {
				logger.warn("The client pre-registered as mcp.connector.registration.clients.{} is used for every MCP"
						+ " server that names {}; limit it with .allowed-resources", name, client.getIssuer());
			}
		});
		return PreRegisteredClients.of(clients, allowedResources);
	}

	/** The configured {@code application_type} by issuer; issuers without one are left out. */
	Map<String, String> asApplicationTypes() {
		Map<String, String> types = new LinkedHashMap<>();
		this.properties.getDynamic()
			.values()
			.stream()
			.filter((settings) -> settings.getApplicationType() != null)
			.forEach((settings) -> types.put(settings.getIssuer(), settings.getApplicationType()));
		return types;
	}

	private static RegisteredClient asRegisteredClient(RegistrationProperties.PreRegistered client) {
		PrivateKey key = (client.getPrivateKey() != null) ? RegisteredClient.privateKeyFromPem(client.getPrivateKey()) : null;
		return new RegisteredClient(client.getIssuer(), client.getClientId(), client.getClientSecret(),
				client.effectiveAuthenticationMethod(), ClientRegistrationSource.PRE_REGISTERED, key,
				client.getKeyId(), client.getSigningAlgorithm());
	}

}
