package dev.mcpconnector.registration;

import java.util.Optional;

/**
 * Storage of client identities per authorization server issuer. Client secrets are stored
 * encrypted, bound to their issuer.
 */
public interface ClientRegistrationStore {

	/**
	 * The stored registration for an issuer.
	 * @param issuer the exact issuer identifier
	 * @return the registration, or empty
	 */
	Optional<StoredClientRegistration> find(String issuer);

	/**
	 * Store or replace the registration of its issuer.
	 * @param registration the registration
	 */
	void save(StoredClientRegistration registration);

	/**
	 * Forget the registration of an issuer (for example after the server rejected it).
	 * @param issuer the issuer
	 */
	void delete(String issuer);

	/**
	 * A store in memory, for tests and for applications without a database.
	 * @return a new, empty store
	 */
	static ClientRegistrationStore inMemory() {
		return new InMemoryClientRegistrationStore();
	}

}
