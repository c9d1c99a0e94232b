package dev.mcpconnector.authorization;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PendingAuthorizationStore} in memory; consuming is atomic. */
class InMemoryPendingAuthorizationStore implements PendingAuthorizationStore {

	private final Map<String, PendingAuthorization> pending = new ConcurrentHashMap<>();

	@Override
	public void save(PendingAuthorization authorization) {
		this.pending.put(authorization.stateHash(), authorization);
	}

	@Override
	public Optional<PendingAuthorization> consume(String stateHash) {
		return Optional.ofNullable(this.pending.remove(stateHash));
	}

	@Override
	public int deleteExpired(Instant now) {
		int before = this.pending.size();
		this.pending.values().removeIf((p) -> p.isExpired(now));
		return before - this.pending.size();
	}

}
