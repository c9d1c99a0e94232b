package dev.mcpconnector.registration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ClientRegistrationStore} in memory. */
class InMemoryClientRegistrationStore implements ClientRegistrationStore {

	private final Map<String, StoredClientRegistration> registrations = new ConcurrentHashMap<>();

	@Override
	public Optional<StoredClientRegistration> find(String issuer) {
		return Optional.ofNullable(this.registrations.get(issuer));
	}

	@Override
	public void save(StoredClientRegistration registration) {
		this.registrations.put(registration.issuer(), registration);
	}

	@Override
	public void delete(String issuer) {
		this.registrations.remove(issuer);
	}

}
