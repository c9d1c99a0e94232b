package dev.mcpconnector.ratelimit;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link RateLimit}, {@link RateLimits} and the wait a {@link RateLimitExceededException} announces. */
@Tag("fast")
class RateLimitsTests {

	private static final RateLimit PER_USER = RateLimit.of(100, Duration.ofHours(1));

	private static final RateLimit PER_CONNECTION = RateLimit.of(20, Duration.ofMinutes(1));

	private static final RateLimit PER_TOOL = RateLimit.of(5, Duration.ofSeconds(10));

	@Test
	void rateLimitWhenNotPositiveThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(-1, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(1, Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(1, null));
		assertThat(RateLimit.of(1, Duration.ofNanos(1)).capacity()).isEqualTo(1);
	}

	@Test
	void rateLimitToStringNamesCapacityAndPeriod() {
		assertThat(RateLimit.of(5, Duration.ofMinutes(1))).hasToString("5 call(s) per PT1M");
	}

	@Test
	void noneIsEmptyAndHasNoLimits() {
		assertThat(RateLimits.NONE.isEmpty()).isTrue();
		assertThat(RateLimits.NONE.narrowestFirst()).isEmpty();
		assertThat(new RateLimits(null, null, null).isEmpty()).isTrue();
	}

	@Test
	void narrowestFirstWhenEveryScopeLimitedThenToolConnectionUser() {
		RateLimits limits = new RateLimits(PER_USER, PER_CONNECTION, PER_TOOL);
		assertThat(limits.isEmpty()).isFalse();
		assertThat(limits.narrowestFirst()).containsExactly(Map.entry(RateLimit.Scope.TOOL, PER_TOOL),
				Map.entry(RateLimit.Scope.CONNECTION, PER_CONNECTION), Map.entry(RateLimit.Scope.USER, PER_USER));
	}

	@Test
	void narrowestFirstWhenSomeScopesUnlimitedThenOnlyTheLimitedOnesInOrder() {
		assertThat(new RateLimits(PER_USER, null, PER_TOOL).narrowestFirst())
			.containsExactly(Map.entry(RateLimit.Scope.TOOL, PER_TOOL), Map.entry(RateLimit.Scope.USER, PER_USER));
		assertThat(new RateLimits(null, PER_CONNECTION, null).narrowestFirst())
			.containsExactly(Map.entry(RateLimit.Scope.CONNECTION, PER_CONNECTION));
		assertThat(new RateLimits(null, PER_CONNECTION, null).isEmpty()).isFalse();
	}

	@Test
	void narrowestFirstIsUnmodifiable() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> new RateLimits(PER_USER, null, null).narrowestFirst().clear());
	}

	@Test
	void scopeValuesAreTheLowerCaseNames() {
		assertThat(RateLimit.Scope.USER.value()).isEqualTo("user");
		assertThat(RateLimit.Scope.CONNECTION.value()).isEqualTo("connection");
		assertThat(RateLimit.Scope.TOOL.value()).isEqualTo("tool");
	}

	@ParameterizedTest(name = "[{index}] {0} -> {1}s")
	@CsvSource({ "PT0S, 1", "PT0.001S, 1", "PT0.999S, 1", "PT1S, 1", "PT1.000000001S, 2", "PT59.5S, 60", "PT60S, 60",
			"PT-5S, 1" })
	void retryAfterSecondsIsRoundedUpAndAtLeastOne(Duration wait, long seconds) {
		RateLimitExceededException ex = new RateLimitExceededException(RateLimit.Scope.TOOL, PER_TOOL, wait);
		assertThat(ex.retryAfterSeconds()).isEqualTo(seconds);
		assertThat(ex.getMessage()).contains("retry after " + seconds + "s");
	}

	@Test
	void retryAfterWhenNegativeOrMissingThenZero() {
		assertThat(new RateLimitExceededException(RateLimit.Scope.USER, PER_USER, Duration.ofSeconds(-3)).retryAfter())
			.isEqualTo(Duration.ZERO);
		assertThat(new RateLimitExceededException(RateLimit.Scope.USER, PER_USER, null).retryAfter())
			.isEqualTo(Duration.ZERO);
		assertThat(new RateLimitExceededException(RateLimit.Scope.USER, PER_USER, null).retryAfterSeconds())
			.isEqualTo(1);
	}

	@Test
	void exceededMessageNamesTheScopeAndTheLimit() {
		RateLimitExceededException ex = new RateLimitExceededException(RateLimit.Scope.CONNECTION, PER_CONNECTION,
				Duration.ofSeconds(4));
		assertThat(ex.getMessage()).contains("20 call(s) per PT1M", "per connection");
		assertThat(ex.scope()).isEqualTo(RateLimit.Scope.CONNECTION);
		assertThat(ex.limit()).isEqualTo(PER_CONNECTION);
	}

}
