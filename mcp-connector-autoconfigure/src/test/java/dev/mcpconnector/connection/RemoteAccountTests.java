package dev.mcpconnector.connection;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link RemoteAccount}: personal data from an ID token, cleaned, and never in a log line. */
@Tag("fast")
class RemoteAccountTests {

	@Test
	void toStringWhenEveryClaimPresentThenNoClaimValueAppears() {
		RemoteAccount account = new RemoteAccount("248289761001", "Alice Liddell", "alice", "alice@example.com");
		assertThat(account.toString()).doesNotContain("248289761001", "Alice", "alice", "example.com")
			.contains("subject=[PERSONAL]", "name=[PERSONAL]", "preferredUsername=[PERSONAL]", "email=[PERSONAL]");
	}

	@Test
	void toStringWhenClaimsAbsentThenSaysNone() {
		RemoteAccount account = new RemoteAccount("248289761001", null, "", "  ");
		assertThat(account.toString()).doesNotContain("248289761001")
			.contains("name=none", "preferredUsername=none", "email=none");
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null", value = { "Alice, alice, a@example.com, Alice", "null, alice, a@example.com, alice",
			"null, null, a@example.com, a@example.com", "null, null, null, sub-1", "'  ', ' ', '', sub-1" })
	void displayNameWhenClaimsGivenThenNameElseUsernameElseEmailElseSubject(String name, String username,
			String email, String expected) {
		assertThat(new RemoteAccount("sub-1", name, username, email).displayName()).isEqualTo(expected);
	}

	@Test
	void newWhenClaimHasControlOrFormatCharactersThenTheyAreDroppedAndTrimmed() {
		RemoteAccount account = new RemoteAccount("sub-1", "  Al\u0000ice\r\n\u202E\u200B ", "bob\tby", "\u0007");
		assertThat(account.name()).isEqualTo("Alice");
		assertThat(account.preferredUsername()).isEqualTo("bobby");
		assertThat(account.email()).isNull();
	}

	@Test
	void newWhenClaimLongerThanTheMaximumThenCut() {
		RemoteAccount account = new RemoteAccount("sub-1", "n".repeat(300), null, null);
		assertThat(account.name()).hasSize(RemoteAccount.MAX_CLAIM_LENGTH);
	}

	@Test
	void newWhenCutFallsInsideASurrogatePairThenThePairIsDroppedWhole() {
		// 255 characters, then a musical symbol (two chars) that would straddle the limit
		String value = "a".repeat(RemoteAccount.MAX_CLAIM_LENGTH - 1) + "\uD834\uDD1E" + "tail";
		String name = new RemoteAccount("sub-1", value, null, null).name();
		assertThat(name).hasSize(RemoteAccount.MAX_CLAIM_LENGTH - 1);
		assertThat(Character.isHighSurrogate(name.charAt(name.length() - 1))).isFalse();
		String fits = "a".repeat(RemoteAccount.MAX_CLAIM_LENGTH - 2) + "\uD834\uDD1E" + "tail";
		assertThat(new RemoteAccount("sub-1", fits, null, null).name()).endsWith("\uD834\uDD1E")
			.hasSize(RemoteAccount.MAX_CLAIM_LENGTH);
	}

	@Test
	void newWhenSubjectEmptyOrTooLongThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RemoteAccount("", "Alice", null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new RemoteAccount(null, "Alice", null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RemoteAccount("s".repeat(RemoteAccount.MAX_CLAIM_LENGTH + 1), null, null, null));
		assertThat(new RemoteAccount("s".repeat(RemoteAccount.MAX_CLAIM_LENGTH), null, null, null).subject())
			.hasSize(RemoteAccount.MAX_CLAIM_LENGTH);
	}

	@Test
	void isSameAccountAsComparesTheSubjectOnly() {
		RemoteAccount alice = new RemoteAccount("sub-1", "Alice", "alice", "a@example.com");
		assertThat(alice.isSameAccountAs(new RemoteAccount("sub-1", "Renamed", null, null))).isTrue();
		assertThat(alice.isSameAccountAs(new RemoteAccount("sub-2", "Alice", "alice", "a@example.com"))).isFalse();
		assertThat(alice.isSameAccountAs(new RemoteAccount("SUB-1", "Alice", null, null))).isFalse();
		assertThat(alice.isSameAccountAs(null)).isFalse();
	}

}
