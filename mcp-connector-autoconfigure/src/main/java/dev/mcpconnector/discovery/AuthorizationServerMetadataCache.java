package dev.mcpconnector.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.util.Assert;

/**
 * Checked authorization server metadata by exact issuer, so that refreshes, callbacks and
 * revocations need not discover it again. Bounded: at most {@code maxEntries} issuers, the least
 * recently used going first, and each entry only for {@code timeToLive} after it was stored. The
 * 2025-03-26 default endpoints guessed for a server without metadata never replace metadata
 * discovered for the same issuer: any tenant could otherwise point a well-known issuer's refreshes,
 * for every tenant, at endpoints that issuer never published.
 */
final class AuthorizationServerMetadataCache {

	private final int maxEntries;

	private final Duration timeToLive;

	private final Clock clock;

	private final LinkedHashMap<String, Entry> entries;

	AuthorizationServerMetadataCache(int maxEntries, Duration timeToLive, Clock clock) {
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		Assert.isTrue(timeToLive != null && !timeToLive.isNegative() && !timeToLive.isZero(),
				"timeToLive must be positive");
		Assert.notNull(clock, "clock cannot be null");
		this.maxEntries = maxEntries;
		this.timeToLive = timeToLive;
		this.clock = clock;
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
				return size() > AuthorizationServerMetadataCache.this.maxEntries;
			}

		};
	}

	/**
	 * The metadata stored for an issuer, unless it expired.
	 * @param issuer the exact issuer
	 * @return the metadata, or empty
	 */
	synchronized Optional<AuthorizationServerMetadata> get(String issuer) {
		Entry entry = this.entries.get(issuer);
		if (entry == null) {
			return Optional.empty();
		}
		if (!this.clock.instant().isBefore(entry.expiresAt())) {
			this.entries.remove(issuer);
			return Optional.empty();
		}
		return Optional.of(entry.metadata());
	}

	synchronized void put(AuthorizationServerMetadata metadata) {
		Assert.notNull(metadata, "metadata cannot be null");
		if (metadata.source() == AuthorizationServerMetadata.Source.DEFAULT_ENDPOINTS) {
			Entry kept = this.entries.get(metadata.issuer());
			if (kept != null && kept.metadata().source() != AuthorizationServerMetadata.Source.DEFAULT_ENDPOINTS
					&& this.clock.instant().isBefore(kept.expiresAt())) {
				return;
			}
		}
		this.entries.put(metadata.issuer(), new Entry(metadata, this.clock.instant().plus(this.timeToLive)));
	}

	synchronized void clear() {
		this.entries.clear();
	}

	synchronized int size() {
		return this.entries.size();
	}

	private record Entry(AuthorizationServerMetadata metadata, Instant expiresAt) {
	}

}
