package dev.mcpconnector.discovery;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code Bearer} (else the {@code DPoP}) challenge of a {@code WWW-Authenticate} header
 * (RFC 6750, RFC 9449 §7.1, RFC 9728 §5.1):
 * {@code resource_metadata}, {@code scope}, {@code error}. Parsed from RFC 9110 syntax: several
 * challenges per header, several headers, quoted strings with escapes.
 *
 * @param params the challenge's auth-params, names lower-cased
 */
public record BearerChallenge(Map<String, String> params) {

	/** The schemes looked for, in order of preference. */
	private static final List<String> SCHEMES = List.of("Bearer", "DPoP");

	public BearerChallenge {
		params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
	}

	/**
	 * Find the Bearer challenge, else the DPoP one, among the values of one or more
	 * {@code WWW-Authenticate} headers.
	 * @param headerValues the header values
	 * @return the challenge, or empty when there is neither
	 */
	public static Optional<BearerChallenge> parse(List<String> headerValues) {
		if (headerValues == null) {
			return Optional.empty();
		}
		for (String scheme : SCHEMES) {
			for (String value : headerValues) {
				Optional<BearerChallenge> challenge = find(value, scheme);
				if (challenge.isPresent()) {
					return challenge;
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Find the Bearer challenge, else the DPoP one, in one header value.
	 * @param header the header value
	 * @return the challenge, or empty
	 */
	public static Optional<BearerChallenge> parse(String header) {
		return parse((header != null) ? List.of(header) : null);
	}

	/**
	 * Whether any of the values offers the {@code DPoP} scheme (RFC 9449 §7.1), beside or
	 * instead of {@code Bearer}.
	 * @param headerValues the {@code WWW-Authenticate} values
	 * @return whether a DPoP challenge is among them
	 */
	public static boolean offersDpop(List<String> headerValues) {
		return headerValues != null && headerValues.stream().anyMatch((value) -> find(value, "DPoP").isPresent());
	}

	/**
	 * The first challenge of one scheme in a header value. A server that takes only DPoP
	 * tokens challenges with that scheme and the same parameters (RFC 9449 §7.1).
	 */
	private static Optional<BearerChallenge> find(String header, String wanted) {
		if (header == null || header.length() > 8192) {
			return Optional.empty();
		}
		Parser parser = new Parser(header);
		while (parser.more()) {
			String scheme = parser.token();
			if (scheme.isEmpty()) {
				parser.skipPast(',');
				continue;
			}
			Map<String, String> params = parser.params();
			if (wanted.equalsIgnoreCase(scheme)) {
				return Optional.of(new BearerChallenge(params));
			}
		}
		return Optional.empty();
	}

	public Optional<String> resourceMetadata() {
		return Optional.ofNullable(this.params.get("resource_metadata")).filter((v) -> !v.isBlank());
	}

	public Optional<String> error() {
		return Optional.ofNullable(this.params.get("error")).filter((v) -> !v.isBlank());
	}

	public boolean isInsufficientScope() {
		return "insufficient_scope".equals(this.params.get("error"));
	}

	public boolean isInvalidToken() {
		return "invalid_token".equals(this.params.get("error"));
	}

	/**
	 * The scopes the challenge asks for, in order.
	 * @return the scopes, empty when none are given
	 */
	public Set<String> scopes() {
		String scope = this.params.get("scope");
		if (scope == null || scope.isBlank()) {
			return Set.of();
		}
		return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+"))));
	}

	private static final class Parser {

		private final String s;

		private int i;

		Parser(String s) {
			this.s = s;
		}

		boolean more() {
			skipWhitespaceAndCommas();
			return this.i < this.s.length();
		}

		void skipWhitespaceAndCommas() {
			while (this.i < this.s.length() && (this.s.charAt(this.i) == ',' || isSpace(this.s.charAt(this.i)))) {
				this.i++;
			}
		}

		void skipSpace() {
			while (this.i < this.s.length() && isSpace(this.s.charAt(this.i))) {
				this.i++;
			}
		}

		void skipPast(char c) {
			while (this.i < this.s.length() && this.s.charAt(this.i) != c) {
				this.i++;
			}
			if (this.i < this.s.length()) {
				this.i++;
			}
		}

		String token() {
			int start = this.i;
			while (this.i < this.s.length() && isTokenChar(this.s.charAt(this.i))) {
				this.i++;
			}
			return this.s.substring(start, this.i);
		}

		/** Reads auth-params until the next challenge starts (a token not followed by '='). */
		Map<String, String> params() {
			Map<String, String> params = new LinkedHashMap<>();
			while (true) {
				skipWhitespaceAndCommas();
				int mark = this.i;
				String name = token();
				skipSpace();
				if (name.isEmpty()) {
					if (this.i < this.s.length()) {
						// token68 or garbage: skip to the next comma
						skipPast(',');
						continue;
					}
					return params;
				}
				if (this.i >= this.s.length() || this.s.charAt(this.i) != '=') {
					// the start of the next challenge
					this.i = mark;
					return params;
				}
				this.i++;
				skipSpace();
				String value;
				if (this.i < this.s.length() && this.s.charAt(this.i) == '"') {
					value = quoted();
				}
				else {
					int start = this.i;
					while (this.i < this.s.length() && this.s.charAt(this.i) != ','
							&& !isSpace(this.s.charAt(this.i))) {
						this.i++;
					}
					value = this.s.substring(start, this.i);
					// token68 padding such as "abc==" belongs to the value
				}
				params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
			}
		}

		String quoted() {
			StringBuilder sb = new StringBuilder();
			this.i++;
			while (this.i < this.s.length()) {
				char c = this.s.charAt(this.i++);
				if (c == '\\' && this.i < this.s.length()) {
					sb.append(this.s.charAt(this.i++));
				}
				else if (c == '"') {
					return sb.toString();
				}
				else {
					sb.append(c);
				}
			}
			return sb.toString();
		}

		private static boolean isSpace(char c) {
			return c == ' ' || c == '\t';
		}

		private static boolean isTokenChar(char c) {
			return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
		}

	}

}
