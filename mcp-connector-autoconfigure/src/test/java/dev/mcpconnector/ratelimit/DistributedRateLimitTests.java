package dev.mcpconnector.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.ToolCallContext;
import dev.mcpconnector.jpa.McpConnectorTables;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rate limits hold exactly across two application contexts sharing one PostgreSQL: with a
 * limit of N, N calls pass and call N+1 is refused, also when many threads on both instances
 * call at once.
 */
class DistributedRateLimitTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startInstances() {
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		first = instance(database, key);
		second = instance(database, key);
	}

	@AfterAll
	static void stopInstances() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@Test
	void exactlyNConcurrentCallsFromTwoInstancesPass() throws Exception {
		int limit = 25;
		int calls = 200;
		RateLimits limits = new RateLimits(null, RateLimit.of(limit, HOUR), null);
		List<RateLimitInterceptor> instances = List.of(interceptor(first, limits), interceptor(second, limits));
		ToolCallContext template = call(McpOwner.of("acme", "storm"), UUID.randomUUID(), "echo");
		ExecutorService pool = Executors.newFixedThreadPool(32);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger refused = new AtomicInteger();
		List<Callable<Boolean>> tasks = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			RateLimitInterceptor interceptor = instances.get(i % 2);
			tasks.add(() -> {
				start.await();
				try {
					// a new context instance per call, as the executor makes them
					interceptor.before(call(template.owner(), template.connectionId(), template.toolName()));
					return true;
				}
				catch (RateLimitExceededException ex) {
					assertThat(ex.errorCode()).isEqualTo("rate-limited");
					assertThat(ex.scope()).isEqualTo(RateLimit.Scope.CONNECTION);
					assertThat(ex.retryAfter()).isPositive().isLessThanOrEqualTo(HOUR);
					refused.incrementAndGet();
					return false;
				}
			});
		}
		List<Future<Boolean>> futures = new ArrayList<>();
		for (Callable<Boolean> task : tasks) {
			futures.add(pool.submit(task));
		}
		start.countDown();
		int passed = 0;
		for (Future<Boolean> future : futures) {
			if (future.get()) {
				passed++;
			}
		}
		pool.shutdown();
		System.out.println("[DistributedRateLimitTests] limit " + limit + ": " + passed + " of " + calls
				+ " concurrent calls passed across 2 instances, " + refused.get() + " refused");
		assertThat(passed).isEqualTo(limit);
		assertThat(refused.get()).isEqualTo(calls - limit);
	}

	@Test
	void callNPlusOneIsRefusedWhicheverInstanceMakesIt() {
		int limit = 5;
		RateLimits limits = new RateLimits(RateLimit.of(limit, HOUR), null, null);
		RateLimitInterceptor one = interceptor(first, limits);
		RateLimitInterceptor two = interceptor(second, limits);
		McpOwner alice = McpOwner.of("alice");
		for (int i = 0; i < limit; i++) {
			((i % 2 == 0) ? one : two).before(call(alice, UUID.randomUUID(), "tool-" + i));
		}
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> two.before(call(alice, UUID.randomUUID(), "other")))
			.satisfies((ex) -> assertThat(ex.scope()).isEqualTo(RateLimit.Scope.USER));
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> one.before(call(alice, UUID.randomUUID(), "other")));
		// another user, and the same principal in another tenant, have their own buckets
		one.before(call(McpOwner.of("bob"), UUID.randomUUID(), "tool"));
		two.before(call(McpOwner.of("other-tenant", "alice"), UUID.randomUUID(), "tool"));
	}

	@Test
	void toolScopeCountsPerToolAndARefusedCallCountsAgainstNoOtherLimit() {
		RateLimits limits = new RateLimits(RateLimit.of(3, HOUR), null, RateLimit.of(2, HOUR));
		RateLimitInterceptor one = interceptor(first, limits);
		RateLimitInterceptor two = interceptor(second, limits);
		McpOwner carol = McpOwner.of("carol");
		UUID connection = UUID.randomUUID();
		one.before(call(carol, connection, "a"));
		two.before(call(carol, connection, "a"));
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> one.before(call(carol, connection, "a")))
			.satisfies((ex) -> assertThat(ex.scope()).isEqualTo(RateLimit.Scope.TOOL));
		// the refused third call did not use carol's per-user budget: one call is left
		two.before(call(carol, connection, "b"));
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> one.before(call(carol, connection, "b")))
			.satisfies((ex) -> assertThat(ex.scope()).isEqualTo(RateLimit.Scope.USER));
	}

	@Test
	void aWindowRefillsOnceItHasPassed() throws InterruptedException {
		RateLimits limits = new RateLimits(null, null, RateLimit.of(2, Duration.ofMillis(1500)));
		RateLimitInterceptor one = interceptor(first, limits);
		RateLimitInterceptor two = interceptor(second, limits);
		McpOwner dave = McpOwner.of("dave");
		UUID connection = UUID.randomUUID();
		one.before(call(dave, connection, "t"));
		two.before(call(dave, connection, "t"));
		RateLimitExceededException refused = org.junit.jupiter.api.Assertions.assertThrows(
				RateLimitExceededException.class, () -> one.before(call(dave, connection, "t")));
		assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1500));
		assertThat(refused.retryAfterSeconds()).isEqualTo(2);
		Thread.sleep(refused.retryAfter().toMillis() + 100);
		two.before(call(dave, connection, "t"));
		one.before(call(dave, connection, "t"));
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> two.before(call(dave, connection, "t")));
	}

	@Test
	void rowsHoldNoUserIdAndExpiredOnesCanBeRemoved() {
		RateLimits limits = new RateLimits(RateLimit.of(10, Duration.ofMillis(1)), null, null);
		RateLimitInterceptor one = interceptor(first, limits);
		one.before(call(McpOwner.of("erin-unique-principal"), UUID.randomUUID(), "t"));
		JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
		List<String> states = jdbc.queryForList("select encode(state, 'escape') from mcp_rate_limit_bucket",
				String.class);
		assertThat(states).noneMatch((state) -> state != null && state.contains("erin-unique-principal"));
		// expires_at is a minute after the bucket is full again: nothing expired yet
		assertThat(one.removeExpiredBuckets()).isZero();
		jdbc.update("update mcp_rate_limit_bucket set expires_at = 0");
		int rows = jdbc.queryForObject("select count(*) from mcp_rate_limit_bucket", Integer.class);
		assertThat(interceptor(second, limits).removeExpiredBuckets()).isEqualTo(rows);
	}

	private static RateLimitInterceptor interceptor(ConfigurableApplicationContext context, RateLimits limits) {
		return new RateLimitInterceptor(limits, context.getBean(DataSource.class),
				McpConnectorTables.inDefaultSchema());
	}

	private static ToolCallContext call(McpOwner owner, UUID connectionId, String tool) {
		return new ToolCallContext(owner, connectionId, tool, null, Map.of("message", "hi"));
	}

	private static ConfigurableApplicationContext instance(TestDatabase database, String key) {
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + key);
		properties.add("spring.datasource.hikari.maximum-pool-size=8");
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

}
