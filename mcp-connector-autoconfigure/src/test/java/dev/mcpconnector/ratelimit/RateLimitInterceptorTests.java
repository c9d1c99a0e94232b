package dev.mcpconnector.ratelimit;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.StorageUnavailableException;
import dev.mcpconnector.execution.ToolCallContext;
import dev.mcpconnector.jpa.McpConnectorTables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/** Unit tests of {@link RateLimitInterceptor} that need no database. */
@Tag("fast")
class RateLimitInterceptorTests {

	private static final ToolCallContext CALL = new ToolCallContext(McpOwner.of("t1", "alice"),
			UUID.fromString("00000000-0000-0000-0000-000000000001"), "echo", null, Map.of());

	@Test
	void withoutLimitsTheDatabaseIsNeverTouched() {
		DataSource dataSource = mock(DataSource.class);
		RateLimitInterceptor interceptor = new RateLimitInterceptor(RateLimits.NONE, dataSource,
				McpConnectorTables.inDefaultSchema());
		for (int i = 0; i < 100; i++) {
			interceptor.before(CALL);
		}
		verifyNoInteractions(dataSource);
	}

	@Test
	void anUnreachableDatabaseRefusesTheCallAsUnavailable() throws SQLException {
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willThrow(new SQLException("connection refused", "08001"));
		RateLimitInterceptor interceptor = new RateLimitInterceptor(
				new RateLimits(RateLimit.of(1, Duration.ofMinutes(1)), null, null), dataSource,
				McpConnectorTables.inDefaultSchema());
		assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> interceptor.before(CALL));
	}

	@Test
	void aFailureThatIsNoOutageIsNotReportedAsUnavailable() throws SQLException {
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willThrow(new SQLException("relation does not exist", "42P01"));
		RateLimitInterceptor interceptor = new RateLimitInterceptor(
				new RateLimits(RateLimit.of(1, Duration.ofMinutes(1)), null, null), dataSource,
				McpConnectorTables.inDefaultSchema());
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> interceptor.before(CALL))
			.satisfies((ex) -> assertThat(ex).isNotInstanceOf(StorageUnavailableException.class))
			.satisfies((ex) -> assertThat(StorageUnavailableException.isUnavailable(ex)).isFalse());
	}

	@Test
	void bucketKeysSeparateScopesOwnersConnectionsToolsAndLimits() {
		RateLimit limit = RateLimit.of(5, Duration.ofMinutes(1));
		String user = RateLimitInterceptor.bucketKey(RateLimit.Scope.USER, limit, CALL);
		String connection = RateLimitInterceptor.bucketKey(RateLimit.Scope.CONNECTION, limit, CALL);
		String tool = RateLimitInterceptor.bucketKey(RateLimit.Scope.TOOL, limit, CALL);
		assertThat(user).isNotEqualTo(connection).isNotEqualTo(tool);
		// the user scope ignores the connection and the tool
		assertThat(RateLimitInterceptor.bucketKey(RateLimit.Scope.USER, limit,
				new ToolCallContext(CALL.owner(), UUID.randomUUID(), "other", null, Map.of())))
			.isEqualTo(user);
		// tenant "t1" + principal "alice" differs from tenant "t1a" + principal "lice"
		assertThat(RateLimitInterceptor.bucketKey(RateLimit.Scope.USER, limit,
				new ToolCallContext(McpOwner.of("t1a", "lice"), CALL.connectionId(), "echo", null, Map.of())))
			.isNotEqualTo(user);
		assertThat(RateLimitInterceptor.bucketKey(RateLimit.Scope.USER, RateLimit.of(6, Duration.ofMinutes(1)), CALL))
			.isNotEqualTo(user);
		assertThat(RateLimitInterceptor.bucketId(user)).isEqualTo(RateLimitInterceptor.bucketId(user))
			.isNotEqualTo(RateLimitInterceptor.bucketId(connection));
	}

	@Test
	void retryAfterIsRoundedUpToWholeSeconds() {
		RateLimit limit = RateLimit.of(1, Duration.ofMinutes(1));
		assertThat(new RateLimitExceededException(RateLimit.Scope.TOOL, limit, Duration.ofMillis(1200))
			.retryAfterSeconds()).isEqualTo(2);
		assertThat(new RateLimitExceededException(RateLimit.Scope.TOOL, limit, Duration.ZERO).retryAfterSeconds())
			.isEqualTo(1);
		RateLimitExceededException ex = new RateLimitExceededException(RateLimit.Scope.TOOL, limit,
				Duration.ofSeconds(30));
		assertThat(ex.errorCode()).isEqualTo("rate-limited");
		assertThat(ex.getMessage()).doesNotContain("alice");
	}

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(0, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(1, Duration.ZERO));
	}

}
