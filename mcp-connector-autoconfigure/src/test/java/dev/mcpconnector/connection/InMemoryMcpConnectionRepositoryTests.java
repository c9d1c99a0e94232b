package dev.mcpconnector.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory repository follows the SPI's rules: the claim for the connection check, the
 * protocol revision stored per connection and scoped to its owner.
 */
@Tag("fast")
class InMemoryMcpConnectionRepositoryTests {

	private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");

	private final InMemoryMcpConnectionRepository repository = new InMemoryMcpConnectionRepository();

	private final McpConnectionService connections = new McpConnectionService(this.repository,
			java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));

	private final McpOwner alice = McpOwner.of("alice");

	private final McpOwner bob = McpOwner.of("bob");

	@Test
	void claimForCheckWhenDueThenClaimsActiveAndUnreachableOfEveryOwnerOnce() {
		McpConnection active = create(this.alice, ConnectionStatus.ACTIVE);
		McpConnection unreachable = create(this.bob, ConnectionStatus.UNREACHABLE);
		create(this.alice, ConnectionStatus.AUTHORIZATION_REQUIRED);
		create(this.bob, ConnectionStatus.REAUTHORIZATION_REQUIRED);

		List<McpConnection> first = this.repository.claimForCheck(NOW.minus(Duration.ofHours(1)), NOW, 10);
		assertThat(first).extracting(McpConnection::id).containsExactlyInAnyOrder(active.id(), unreachable.id());
		// Checked at NOW: not due again within the interval.
		assertThat(this.repository.claimForCheck(NOW.minus(Duration.ofHours(1)), NOW, 10)).isEmpty();
		// Due again once the interval has passed.
		Instant later = NOW.plus(Duration.ofHours(2));
		assertThat(this.repository.claimForCheck(later.minus(Duration.ofHours(1)), later, 10)).hasSize(2);
	}

	@Test
	void claimForCheckWhenLimitedThenNeverCheckedFirst() {
		McpConnection checked = create(this.alice, ConnectionStatus.ACTIVE);
		assertThat(this.repository.claimForCheck(NOW, NOW, 1)).extracting(McpConnection::id)
			.containsExactly(checked.id());
		McpConnection fresh = create(this.bob, ConnectionStatus.ACTIVE);
		Instant later = NOW.plus(Duration.ofHours(2));
		assertThat(this.repository.claimForCheck(later, later, 1)).extracting(McpConnection::id)
			.containsExactly(fresh.id());
	}

	@Test
	void claimForCheckWhenDeletedThenGone() {
		McpConnection gone = create(this.alice, ConnectionStatus.ACTIVE);
		this.repository.delete(this.alice, gone.id());
		assertThat(this.repository.claimForCheck(NOW, NOW, 10)).isEmpty();
	}

	@Test
	void updateProtocolVersionWhenOwnerThenStoredAndReadBack() {
		McpConnection connection = create(this.alice, ConnectionStatus.ACTIVE);
		assertThat(connection.protocolVersion()).isNull();
		McpConnection modern = this.connections.updateProtocolVersion(this.alice, connection.id(), "2026-07-28");
		assertThat(modern.protocolVersion()).isEqualTo("2026-07-28");
		assertThat(modern.version()).isEqualTo(connection.version() + 1);
		assertThat(this.connections.get(this.alice, connection.id()).protocolVersion()).isEqualTo("2026-07-28");
		// The same revision again writes nothing; null forgets it, so it is found again.
		assertThat(this.connections.updateProtocolVersion(this.alice, connection.id(), "2026-07-28").version())
			.isEqualTo(modern.version());
		assertThat(this.connections.updateProtocolVersion(this.alice, connection.id(), null).protocolVersion()).isNull();
	}

	@Test
	void updateProtocolVersionWhenAnotherOwnerThenNotFoundAndUntouched() {
		McpConnection connection = create(this.alice, ConnectionStatus.ACTIVE);
		org.assertj.core.api.Assertions
			.assertThatExceptionOfType(dev.mcpconnector.McpConnectorException.class)
			.isThrownBy(() -> this.connections.updateProtocolVersion(this.bob, connection.id(), "2025-11-25"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(dev.mcpconnector.McpConnectorErrorCode.CONNECTION_NOT_FOUND));
		assertThat(this.connections.get(this.alice, connection.id()).protocolVersion()).isNull();
	}

	@Test
	void createWhenRevisionKnownThenStoredWithIt() {
		McpConnection connection = this.connections.create(this.alice, NewConnection.of("https://mcp.example.com/mcp"),
				ConnectionStatus.ACTIVE, McpTransport.STREAMABLE_HTTP, "2025-11-25");
		assertThat(this.connections.get(this.alice, connection.id()).protocolVersion()).isEqualTo("2025-11-25");
	}

	@Test
	void withProtocolVersionWhenNotARevisionThenRefused() {
		McpConnection connection = create(this.alice, ConnectionStatus.ACTIVE);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> connection.withProtocolVersion("2025-11-25 ; drop", NOW));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> connection.withProtocolVersion("x".repeat(21), NOW));
	}

	private McpConnection create(McpOwner owner, ConnectionStatus status) {
		return this.connections.create(owner, NewConnection.of("https://mcp.example.com/mcp"), status);
	}

}
