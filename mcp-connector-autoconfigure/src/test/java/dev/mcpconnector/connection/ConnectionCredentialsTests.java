package dev.mcpconnector.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link ConnectionCredentials} and {@link ConnectionLimits}: tokens that never print, limits that hold. */
@Tag("fast")
class ConnectionCredentialsTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	@Test
	void toStringWhenTokensPresentThenBothRedacted() {
		ConnectionCredentials credentials = new ConnectionCredentials("at-secret-123", "rt-secret-456", "Bearer",
				NOW, Set.of("read"));
		assertThat(credentials.toString()).doesNotContain("at-secret-123", "rt-secret-456")
			.contains("accessToken=[REDACTED]", "refreshToken=[REDACTED]", "scopes=[read]");
	}

	@Test
	void toStringWhenNoRefreshTokenThenSaysNone() {
		assertThat(new ConnectionCredentials("at-secret-123", null, null, null, null).toString())
			.doesNotContain("at-secret-123")
			.contains("refreshToken=none");
	}

	@Test
	void newWhenTokenTypeMissingThenBearer() {
		assertThat(new ConnectionCredentials("at", null, null, null, null).tokenType()).isEqualTo("Bearer");
		assertThat(new ConnectionCredentials("at", null, " ", null, null).tokenType()).isEqualTo("Bearer");
		assertThat(new ConnectionCredentials("at", null, "DPoP", null, null).tokenType()).isEqualTo("DPoP");
	}

	@Test
	void newWhenAccessTokenEmptyThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionCredentials("", null, null, null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionCredentials(null, null, null, null, null));
	}

	@Test
	void scopesWhenSourceChangesThenUnchangedAndUnmodifiable() {
		Set<String> scopes = new HashSet<>(Set.of("read"));
		ConnectionCredentials credentials = new ConnectionCredentials("at", null, null, null, scopes);
		scopes.add("write");
		assertThat(credentials.scopes()).containsExactly("read");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> credentials.scopes().add("admin"));
		assertThat(new ConnectionCredentials("at", null, null, null, null).scopes()).isEmpty();
	}

	@Test
	void isExpiredWhenWithinTheSkewOfExpiryThenTrue() {
		ConnectionCredentials credentials = new ConnectionCredentials("at", "rt", null, NOW.plusSeconds(60), null);
		assertThat(credentials.isExpired(NOW, Duration.ofSeconds(30))).isFalse();
		assertThat(credentials.isExpired(NOW, Duration.ofSeconds(60))).isTrue();
		assertThat(credentials.isExpired(NOW.plusSeconds(61), Duration.ZERO)).isTrue();
		assertThat(credentials.isExpired(NOW.plusSeconds(59), Duration.ZERO)).isFalse();
	}

	@Test
	void isExpiredWhenExpiryUnknownThenNever() {
		assertThat(new ConnectionCredentials("at", null, null, null, null).isExpired(Instant.MAX.minusSeconds(1),
				Duration.ZERO))
			.isFalse();
	}

	@Test
	void hasRefreshTokenOnlyWhenOneIsPresent() {
		assertThat(new ConnectionCredentials("at", "rt", null, null, null).hasRefreshToken()).isTrue();
		assertThat(new ConnectionCredentials("at", "", null, null, null).hasRefreshToken()).isFalse();
		assertThat(new ConnectionCredentials("at", null, null, null, null).hasRefreshToken()).isFalse();
	}

	@Test
	void connectionLimitsWhenWithinBoundsThenKept() {
		ConnectionLimits limits = new ConnectionLimits(Duration.ofMillis(100), 1024L);
		assertThat(limits.connectTimeout()).isEqualTo(Duration.ofMillis(100));
		assertThat(new ConnectionLimits(Duration.ofMinutes(2), (long) Integer.MAX_VALUE).maxResponseBytes())
			.isEqualTo(Integer.MAX_VALUE);
		assertThat(ConnectionLimits.DEFAULTS.connectTimeout()).isNull();
		assertThat(ConnectionLimits.DEFAULTS.maxResponseBytes()).isNull();
	}

	@Test
	void connectionLimitsWhenOutOfBoundsThenInvalidConnectionRequest() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> new ConnectionLimits(Duration.ofMillis(99), null))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST))
			.withMessageContaining("connectTimeout");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> new ConnectionLimits(Duration.ofMinutes(2).plusMillis(1), null))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> new ConnectionLimits(null, 1023L))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST))
			.withMessageContaining("maxResponseBytes");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> new ConnectionLimits(null, Integer.MAX_VALUE + 1L))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.INVALID_CONNECTION_REQUEST));
	}

}
