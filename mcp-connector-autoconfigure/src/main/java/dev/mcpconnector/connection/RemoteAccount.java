package dev.mcpconnector.connection;

import org.springframework.util.Assert;

/**
 * The account at the remote authorization server a connection is signed in as, from a validated
 * OpenID Connect ID token: its subject, and the display claims it carried. Not a secret, but
 * personal data: stored encrypted with the connection and never logged ({@link #toString()}
 * shows only whether each claim is present).
 *
 * @param subject the {@code sub} claim, unique and stable at that issuer
 * @param name the {@code name} claim, or {@code null}
 * @param preferredUsername the {@code preferred_username} claim, or {@code null}
 * @param email the {@code email} claim, or {@code null}
 */
public record RemoteAccount(String subject, String name, String preferredUsername, String email) {

	/** Longest display claim kept; longer values are cut. */
	public static final int MAX_CLAIM_LENGTH = 256;

	public RemoteAccount {
		Assert.hasText(subject, "subject cannot be empty");
		Assert.isTrue(subject.length() <= MAX_CLAIM_LENGTH, "subject is too long");
		name = clean(name);
		preferredUsername = clean(preferredUsername);
		email = clean(email);
	}

	/**
	 * What to show for the account: its name, else its username, else its e-mail address, else its
	 * subject.
	 * @return the display name
	 */
	public String displayName() {
		if (this.name != null) {
			return this.name;
		}
		if (this.preferredUsername != null) {
			return this.preferredUsername;
		}
		return (this.email != null) ? this.email : this.subject;
	}

	/**
	 * Whether this is the same remote account as another one (the same subject).
	 * @param other the other account
	 * @return whether the subjects are equal
	 */
	public boolean isSameAccountAs(RemoteAccount other) {
		return other != null && this.subject.equals(other.subject);
	}

	/**
	 * A display claim as the connector keeps it: control characters dropped, trimmed, at most
	 * {@value #MAX_CLAIM_LENGTH} characters, empty as {@code null}.
	 * @param value the claim value
	 * @return the cleaned value
	 */
	static String clean(String value) {
		if (value == null) {
			return null;
		}
		StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CLAIM_LENGTH));
		value.codePoints()
			.filter((c) -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
			.forEach(out::appendCodePoint);
		String cleaned = out.toString().strip();
		if (cleaned.length() > MAX_CLAIM_LENGTH) {
			int end = MAX_CLAIM_LENGTH;
			if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
				end--;
			}
			cleaned = cleaned.substring(0, end);
		}
		return cleaned.isEmpty() ? null : cleaned;
	}

	@Override
	public String toString() {
		return "RemoteAccount[subject=[PERSONAL], name=" + present(this.name) + ", preferredUsername="
				+ present(this.preferredUsername) + ", email=" + present(this.email) + "]";
	}

	private static String present(String value) {
		return (value != null) ? "[PERSONAL]" : "none";
	}

}
