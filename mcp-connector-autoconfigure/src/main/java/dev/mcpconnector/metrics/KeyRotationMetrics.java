package dev.mcpconnector.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Key rotation progress as gauges: {@code mcp.connector.encryption.ciphertexts} (tag {@code key})
 * counts the stored secrets each configured key encrypts, and
 * {@code mcp.connector.encryption.rotation.pending} those not yet under the active key (zero when
 * a rotation is complete and the old key can be retired). The counts come from one grouped query,
 * cached for a short while so frequent scrapes do not each hit the database.
 */
class KeyRotationMetrics implements MeterBinder {

	private static final Logger logger = LoggerFactory.getLogger(KeyRotationMetrics.class);

	private final Supplier<Map<String, Long>> counter;

	private final String activeKeyId;

	private final Set<String> keyIds;

	private final Duration cacheFor;

	private final Clock clock;

	private volatile Map<String, Long> counts;

	private volatile Instant countedAt = Instant.MIN;

	private volatile boolean failed;

	/**
	 * @param counter counts the ciphertexts per key id, e.g.
	 * {@code JpaKeyRotation::ciphertextsPerKey}
	 * @param activeKeyId the key new secrets are encrypted with
	 * @param keyIds every configured key id
	 * @param cacheFor how long one count is reused
	 * @param clock the clock
	 */
	KeyRotationMetrics(Supplier<Map<String, Long>> counter, String activeKeyId, Collection<String> keyIds,
			Duration cacheFor, Clock clock) {
		Assert.notNull(counter, "counter cannot be null");
		Assert.hasText(activeKeyId, "activeKeyId cannot be empty");
		Assert.notNull(keyIds, "keyIds cannot be null");
		Assert.isTrue(cacheFor != null && !cacheFor.isNegative(), "cacheFor cannot be negative");
		Assert.notNull(clock, "clock cannot be null");
		this.counter = counter;
		this.activeKeyId = activeKeyId;
		this.keyIds = new TreeSet<>(keyIds);
		this.keyIds.add(activeKeyId);
		this.cacheFor = cacheFor;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String keyId : this.keyIds) {
			Gauge.builder("mcp.connector.encryption.ciphertexts", this, (metrics) -> metrics.count(keyId))
				.tag("key", keyId)
				.tag("active", String.valueOf(keyId.equals(this.activeKeyId)))
				.description("Stored secrets encrypted with this key")
				.register(registry);
		}
		Gauge.builder("mcp.connector.encryption.rotation.pending", this, KeyRotationMetrics::pending)
			.description("Stored secrets not yet re-encrypted under the active key")
			.register(registry);
	}

	double count(String keyId) {
		Map<String, Long> current = current();
		return (current != null) ? current.getOrDefault(keyId, 0L) : Double.NaN;
	}

	double pending() {
		Map<String, Long> current = current();
		if (current == null) {
			return Double.NaN;
		}
		return current.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals(this.activeKeyId))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private synchronized Map<String, Long> current() {
		Instant now = this.clock.instant();
		if ((this.counts == null && !this.failed) || this.countedAt.plus(this.cacheFor).isBefore(now)) {
			// A failed count is remembered for the same while, so scrapes do not each retry it.
			this.countedAt = now;
			try {
				this.counts = Map.copyOf(this.counter.get());
			}
			catch (RuntimeException ex) {
				logger.debug("Counting ciphertexts per key failed: {}", ex.getClass().getSimpleName());
				this.counts = null;
				this.failed = true;
				return null;
			}
			this.failed = false;
		}
		return this.counts;
	}

}
