package dev.mcpconnector.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.binder.MeterBinder;

/** Test access to the key-rotation gauges, whose type is internal to this package. */
public final class TestMetrics {

	private TestMetrics() {
	}

	/**
	 * The key-rotation gauges.
	 * @param counter counts the ciphertexts per key id
	 * @param activeKeyId the key new secrets are encrypted with
	 * @param keyIds every configured key id
	 * @param cacheFor how long one count is reused
	 * @param clock the clock
	 * @return the gauges, to bind to a registry
	 */
	public static MeterBinder keyRotation(Supplier<Map<String, Long>> counter, String activeKeyId,
			Collection<String> keyIds, Duration cacheFor, Clock clock) {
		return new KeyRotationMetrics(counter, activeKeyId, keyIds, cacheFor, clock);
	}

}
