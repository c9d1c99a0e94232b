package dev.mcpconnector.authorization;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * Serializes token refreshes of one connection across application instances, so that a
 * rotated refresh token is never lost to a concurrent refresh with the old one. Within one
 * instance the authorization service already lets one caller refresh while the others wait.
 */
@FunctionalInterface
public interface RefreshLock {

	/**
	 * Run an action while holding the connection's refresh lock.
	 * @param connectionId the connection
	 * @param action the action
	 * @param <T> its result type
	 * @return its result
	 */
	<T> T withLock(UUID connectionId, Supplier<T> action);

	/** For a single instance: the in-process serialization is enough. */
	static RefreshLock local() {
		return new RefreshLock() {
			@Override
			public <T> T withLock(UUID connectionId, Supplier<T> action) {
				return action.get();
			}
		};
	}

}
