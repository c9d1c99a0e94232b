package dev.mcpconnector.registration;

import java.util.Map;
import java.util.Optional;

/**
 * Client credentials the application was given by an authorization server's operator, looked
 * up by the server's exact issuer. The default is built from
 * {@code mcp.connector.registration.clients.*}; an application whose users enter credentials in
 * a form provides its own bean.
 */
@FunctionalInterface
public interface PreRegisteredClients {

	/**
	 * The pre-registered client for an issuer.
	 * @param issuer the exact issuer identifier
	 * @return the client, or empty
	 */
	Optional<RegisteredClient> find(String issuer);

	/**
	 * Pre-registered clients from a map keyed by issuer.
	 * @param clients the clients
	 * @return the lookup
	 */
	static PreRegisteredClients of(Map<String, RegisteredClient> clients) {
		Map<String, RegisteredClient> copy = Map.copyOf(clients);
		return (issuer) -> Optional.ofNullable(copy.get(issuer));
	}

	/** No pre-registered clients. */
	static PreRegisteredClients none() {
		return (issuer) -> Optional.empty();
	}

}
