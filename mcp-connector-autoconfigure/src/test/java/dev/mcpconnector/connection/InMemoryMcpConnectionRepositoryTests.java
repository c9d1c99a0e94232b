package dev.mcpconnector.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory repository's claim for the connection check follows the SPI's rules. */
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

	private McpConnection create(McpOwner owner, ConnectionStatus status) {
		return this.connections.create(owner, NewConnection.of("https://mcp.example.com/mcp"), status);
	}

}
