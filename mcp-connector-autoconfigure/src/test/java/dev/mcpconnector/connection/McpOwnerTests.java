package dev.mcpconnector.connection;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link McpOwner}: a principal within a tenant, or without one. */
@Tag("fast")
class McpOwnerTests {

	@Test
	void ofWhenPrincipalOnlyThenNoTenant() {
		McpOwner owner = McpOwner.of("alice");
		assertThat(owner.tenantId()).isEqualTo(McpOwner.NO_TENANT).isEmpty();
		assertThat(owner.principal()).isEqualTo("alice");
		assertThat(owner.hasTenant()).isFalse();
	}

	@Test
	void ofWhenTenantThenHasTenant() {
		McpOwner owner = McpOwner.of("acme", "alice");
		assertThat(owner.tenantId()).isEqualTo("acme");
		assertThat(owner.hasTenant()).isTrue();
	}

	@Test
	void newWhenTenantNullThenNoTenantAndEqualToAnOwnerWithout() {
		McpOwner owner = new McpOwner(null, "alice");
		assertThat(owner.tenantId()).isEqualTo(McpOwner.NO_TENANT);
		assertThat(owner).isEqualTo(McpOwner.of("alice")).hasSameHashCodeAs(McpOwner.of("alice"));
	}

	@Test
	void equalsWhenTenantOrPrincipalDiffersThenDifferentOwners() {
		assertThat(McpOwner.of("acme", "alice")).isNotEqualTo(McpOwner.of("globex", "alice"))
			.isNotEqualTo(McpOwner.of("acme", "bob"))
			.isNotEqualTo(McpOwner.of("alice"))
			.isEqualTo(McpOwner.of("acme", "alice"));
		// the boundary between tenant and principal is part of the identity
		assertThat(McpOwner.of("t1", "alice")).isNotEqualTo(McpOwner.of("t1a", "lice"));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\t" })
	void newWhenPrincipalEmptyThenRefused(String principal) {
		assertThatIllegalArgumentException().isThrownBy(() -> McpOwner.of("acme", principal));
		assertThatIllegalArgumentException().isThrownBy(() -> McpOwner.of(principal));
	}

	@Test
	void newWhenPrincipalOrTenantLongerThanTheMaximumThenRefused() {
		String max = "p".repeat(McpOwner.MAX_LENGTH);
		assertThat(McpOwner.of(max, max).principal()).hasSize(255);
		assertThatIllegalArgumentException().isThrownBy(() -> McpOwner.of(max + "p"))
			.withMessageContaining("principal");
		assertThatIllegalArgumentException().isThrownBy(() -> McpOwner.of(max + "t", "alice"))
			.withMessageContaining("tenantId");
	}

}
