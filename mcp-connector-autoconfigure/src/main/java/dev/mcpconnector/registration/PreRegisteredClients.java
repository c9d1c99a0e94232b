package dev.mcpconnector.registration;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * Client credentials the application was given by an authorization server's operator, looked
 * up by the server's exact issuer, and the resources (MCP servers) each may be used for. The
 * default is built from {@code mcp.connector.registration.clients.*}; an application whose users
 * enter credentials in a form provides its own bean.
 */
@FunctionalInterface
public interface PreRegisteredClients {

	/**
	 * The pre-registered client for an issuer.
	 * @param issuer the exact issuer identifier
	 * @return the client, or empty
	 */
	Optional<RegisteredClient> find(String issuer);

	/**
	 * Whether the client pre-registered for an issuer may be used for a resource. Any MCP server
	 * may name any issuer as its authorization server: without this check the application's
	 * first-party client there would obtain tokens for whatever server asked.
	 * @param issuer the exact issuer identifier
	 * @param resource the canonical resource URI (RFC 8707) the tokens are for
	 * @return whether it may; by default every resource
	 */
	default boolean allowsResource(String issuer, URI resource) {
		return true;
	}

	/**
	 * Pre-registered clients from a map keyed by issuer, each good for every resource.
	 * @param clients the clients
	 * @return the lookup
	 */
	static PreRegisteredClients of(Map<String, RegisteredClient> clients) {
		return of(clients, Map.of());
	}

	/**
	 * Pre-registered clients from a map keyed by issuer, limited to resources by glob: {@code *}
	 * stands for any characters but {@code / ? # @} (within one host label run or path segment),
	 * {@code **} for any characters but {@code ? #}; everything else is literal.
	 * @param clients the clients
	 * @param allowedResources the resource globs by issuer; an issuer without an entry (or with
	 * an empty list) allows every resource
	 * @return the lookup
	 */
	static PreRegisteredClients of(Map<String, RegisteredClient> clients, Map<String, List<String>> allowedResources) {
		Map<String, RegisteredClient> copy = Map.copyOf(clients);
		Map<String, List<Pattern>> patterns = new java.util.HashMap<>();
		allowedResources.forEach((issuer, globs) -> patterns.put(issuer, globs.stream().map(PreRegisteredClients::glob).toList()));
		return new PreRegisteredClients() {

			@Override
			public Optional<RegisteredClient> find(String issuer) {
				return Optional.ofNullable(copy.get(issuer));
			}

			@Override
			public boolean allowsResource(String issuer, URI resource) {
				List<Pattern> allowed = patterns.get(issuer);
				return allowed == null || allowed.isEmpty()
						|| (resource != null && allowed.stream().anyMatch((p) -> p.matcher(resource.toString()).matches()));
			}

		};
	}

	/** No pre-registered clients. */
	static PreRegisteredClients none() {
		return (issuer) -> Optional.empty();
	}

	/**
	 * A resource glob as a pattern. Written here rather than borrowed: Spring's path matchers
	 * split on {@code /} only, and a {@code *} that matched {@code @}, {@code ?} or {@code #}
	 * would let {@code https://*.corp.example/mcp} match another host.
	 * @param glob the glob
	 * @return the pattern
	 */
	static Pattern glob(String glob) {
		Assert.hasText(glob, "allowed resource cannot be empty");
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < glob.length(); i++) {
			char c = glob.charAt(i);
			if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
				regex.append("[^?#]*");
				i++;
			}
			else if (c == '*') {
				regex.append("[^/?#@]*");
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
