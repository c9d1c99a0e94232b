package dev.mcpconnector.ratelimit;

import dev.mcpconnector.autoconfigure.TestContextRunners;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate-limit interceptor the governance auto-configuration defines (here, where its type
 * is visible).
 */
class RateLimitConfigurationTests {

	private final ApplicationContextRunner contextRunner = TestContextRunners.connector();

	@Test
	void rateLimitInterceptorWhenLimitConfiguredThenCarriesIt() {
		this.contextRunner.withPropertyValues("mcp.connector.governance.rate-limits.per-user.capacity=5")
			.run((context) -> assertThat(context.getBean("mcpConnectorRateLimitInterceptor"))
				.isInstanceOfSatisfying(RateLimitInterceptor.class,
						(interceptor) -> assertThat(interceptor.limits().perUser().capacity()).isEqualTo(5)));
	}

	@Test
	void expiredBucketsWhenInterceptorIsNotOursThenNoTask() {
		assertThat(RateLimit.expiredBuckets(new dev.mcpconnector.execution.ToolCallInterceptor() {
		})).isEmpty();
		assertThat(RateLimit.expiredBuckets(new RateLimitInterceptor(RateLimits.NONE, null)))
			.hasValueSatisfying((task) -> assertThat(task.name()).isEqualTo("rate-limit-buckets"));
	}

}
