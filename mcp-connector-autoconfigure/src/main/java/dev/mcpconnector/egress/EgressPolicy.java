package dev.mcpconnector.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.springframework.util.Assert;

/**
 * Decides whether an outbound URL may be fetched: the server URL a user typed, protected
 * resource and authorization server metadata, every authorization server endpoint, and each
 * redirect hop.
 * <p>
 * Rules: https only; every address the host resolves to must be public. Loopback, private
 * (RFC 1918), link-local (including 169.254.169.254), CGNAT, unique-local and link-local IPv6,
 * multicast, unspecified, reserved and IPv4-mapped or -compatible forms of those are refused,
 * unless the host and port are explicitly allowlisted (an entry {@code host:port}; a bare
 * {@code host} means port 443). With {@code allowInsecureLoopback} (development and
 * tests only), plain http and loopback addresses are allowed for hosts that resolve only to
 * loopback.
 */
public final class EgressPolicy {

	/** Appended when loopback is refused only because insecure loopback is not allowed. */
	private static final String LOOPBACK_HINT = " (loopback servers are refused unless "
			+ "mcp.connector.egress.allow-insecure-loopback=true, for development and tests only)";

	private final boolean allowInsecureLoopback;

	private final Set<String> allowedHosts;

	private final HostResolver resolver;

	public EgressPolicy(boolean allowInsecureLoopback, Set<String> allowedHosts) {
		this(allowInsecureLoopback, allowedHosts, InetAddress::getAllByName);
	}

	/**
	 * @param allowInsecureLoopback whether plain http and loopback are allowed (development only)
	 * @param allowedHosts hosts that may resolve to internal addresses, each {@code host:port}
	 * ({@code [v6]:port} for an IPv6 literal); a bare host means port 443
	 * @param resolver resolves host names
	 * @throws IllegalArgumentException when an entry has an invalid port
	 */
	public EgressPolicy(boolean allowInsecureLoopback, Set<String> allowedHosts, HostResolver resolver) {
		Assert.notNull(resolver, "resolver cannot be null");
		this.allowInsecureLoopback = allowInsecureLoopback;
		this.allowedHosts = (allowedHosts != null)
				? allowedHosts.stream().map(EgressPolicy::allowListEntry).collect(Collectors.toUnmodifiableSet())
				: Set.of();
		this.resolver = resolver;
	}

	/** An allow-list entry as {@code host:port}, lower case, without IPv6 brackets. */
	private static String allowListEntry(String entry) {
		Assert.hasText(entry, "allowed host cannot be empty");
		String value = entry.trim().toLowerCase(Locale.ROOT);
		String host = value;
		String port = "443";
		int close = value.lastIndexOf(']');
		int colon = value.lastIndexOf(':');
		if (value.startsWith("[")) {
			Assert.isTrue(close > 0, () -> "allowed host '" + entry + "' has an unclosed IPv6 bracket");
			host = value.substring(1, close);
			if (close + 1 < value.length()) {
				Assert.isTrue(value.charAt(close + 1) == ':', () -> "allowed host '" + entry + "' is malformed");
				port = value.substring(close + 2);
			}
		}
		else if (colon >= 0 && value.indexOf(':') == colon) {
			host = value.substring(0, colon);
			port = value.substring(colon + 1);
		}
		Assert.isTrue(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535,
				() -> "allowed host '" + entry + "' must name a port from 1 to 65535 after the host");
		return host + ":" + Integer.parseInt(port);
	}

	/**
	 * Whether a URL's host and port are on the allow-list, so it may reach an internal address.
	 * @param uri the URL
	 * @return whether it is allowlisted
	 */
	public boolean isAllowListed(URI uri) {
		return uri != null && uri.getHost() != null && this.allowedHosts.contains(hostOf(uri) + ":" + portOf(uri));
	}

	/** A policy for production: https to public addresses only. */
	public static EgressPolicy strict() {
		return new EgressPolicy(false, Set.of());
	}

	public boolean allowsInsecureLoopback() {
		return this.allowInsecureLoopback;
	}

	/**
	 * Check a URL and resolve its host.
	 * @param uri the URL
	 * @return the addresses the host resolved to, all permitted
	 * @throws McpConnectorException {@code egress-denied} if the URL may not be fetched
	 */
	public List<InetAddress> check(URI uri) {
		checkSyntax(uri);
		String host = hostOf(uri);
		InetAddress[] addresses;
		try {
			addresses = resolveChecked(host, portOf(uri));
		}
		catch (UnknownHostException ex) {
			throw notPermitted(host);
		}
		boolean allLoopback = true;
		for (InetAddress address : addresses) {
			allLoopback &= unwrapMapped(address).isLoopbackAddress();
		}
		if ("http".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
			if (!(this.allowInsecureLoopback && allLoopback)) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "Only https URLs are allowed: " + safe(uri));
			}
			// Plain http is not tunnelled (see EgressTunnel): only names no DNS answer can change.
			if (!"localhost".equals(host) && !isLiteral(host)) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED,
						"Plain http is allowed only to loopback addresses and localhost: " + safe(uri));
			}
		}
		return List.of(addresses);
	}

	/**
	 * Resolve a host and return only if every address it resolves to is permitted. The egress
	 * client connects to exactly these addresses, so a DNS answer that changes between the
	 * check and the connection (rebinding) cannot slip through.
	 * @param host the host name or literal address
	 * @return the permitted addresses
	 * @throws McpConnectorException {@code egress-denied} when an address is not permitted
	 * (with the words {@link #check} uses for a host that does not resolve)
	 * @throws UnknownHostException when the host does not resolve
	 * @see #resolveChecked(String, int)
	 */
	public InetAddress[] resolveChecked(String host) throws UnknownHostException {
		return resolveChecked(host, 443);
	}

	/**
	 * Resolve a host for a connection to one port and return only if every address it resolves
	 * to is permitted there: the allow-list lifts the address rule for its host and port only.
	 * @param host the host name or literal address
	 * @param port the port to connect to
	 * @return the permitted addresses
	 * @throws McpConnectorException {@code egress-denied} when an address is not permitted
	 * @throws UnknownHostException when the host does not resolve
	 */
	public InetAddress[] resolveChecked(String host, int port) throws UnknownHostException {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		InetAddress[] addresses = this.resolver.resolve(name);
		if (addresses == null || addresses.length == 0) {
			throw new UnknownHostException(name);
		}
		if (this.allowedHosts.contains(name + ":" + port)) {
			return addresses;
		}
		for (InetAddress address : addresses) {
			InetAddress effective = unwrapMapped(address);
			if (effective.isLoopbackAddress() && this.allowInsecureLoopback) {
				continue;
			}
			if (isInternal(effective)) {
				throw notPermitted(name);
			}
		}
		return addresses;
	}

	/**
	 * The one refusal for a host that does not resolve and for one that resolves to an address
	 * that is not permitted: the same code and words, so that a caller cannot tell which, and
	 * cannot use the connector to learn which internal names exist. The loopback hint goes by
	 * the name alone (localhost, a loopback literal), never by what the name resolved to.
	 */
	private McpConnectorException notPermitted(String host) {
		boolean hint = !this.allowInsecureLoopback && (isLoopbackName(host) || "::1".equals(host)
				|| "0:0:0:0:0:0:0:1".equals(host));
		return new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED,
				"Host " + host + " does not resolve, or resolves to a loopback, private or otherwise internal address"
						+ (hint ? LOOPBACK_HINT : ""));
	}

	/**
	 * Check a URL's form only (scheme, host, no user info, no control characters), without
	 * resolving it. Used for URLs handed to a browser, such as authorization endpoints.
	 * @param uri the URL
	 * @throws McpConnectorException {@code egress-denied} when malformed or not http(s)
	 */
	public void checkSyntax(URI uri) {
		if (uri == null || !uri.isAbsolute() || uri.isOpaque()) {
			throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "Not an absolute URL");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!"https".equals(scheme) && !("http".equals(scheme) && this.allowInsecureLoopback)) {
			String hint = ("http".equals(scheme) && isLoopbackName(uri.getHost())) ? LOOPBACK_HINT : "";
			throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED,
					"Only https URLs are allowed: " + safe(uri) + hint);
		}
		if (uri.getRawUserInfo() != null) {
			throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "URLs with user info are not allowed");
		}
		String text = uri.toString();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x21 || c == 0x7f) {
				throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "URL contains whitespace or control characters");
			}
		}
		hostOf(uri);
	}

	/** Whether a URL host names loopback without resolving it: localhost or a loopback literal. */
	private static boolean isLoopbackName(String host) {
		if (host == null) {
			return false;
		}
		String name = host.toLowerCase(Locale.ROOT);
		return "localhost".equals(name) || name.startsWith("127.") || "[::1]".equals(name)
				|| "[0:0:0:0:0:0:0:1]".equals(name);
	}

	private static String hostOf(URI uri) {
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			throw new McpConnectorException(McpConnectorErrorCode.EGRESS_DENIED, "URL has no host");
		}
		host = host.toLowerCase(Locale.ROOT);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return host;
	}

	/**
	 * Whether a URL host is a literal IPv4 or IPv6 address (no name to resolve).
	 * @param host the host, with or without IPv6 brackets
	 * @return whether it is a literal
	 */
	static boolean isLiteral(String host) {
		return host != null && (host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"));
	}

	static InetAddress unwrapMapped(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] b = address.getAddress();
			boolean mapped = true;
			boolean compatible = true;
			for (int i = 0; i < 10; i++) {
				mapped &= b[i] == 0;
				compatible &= b[i] == 0;
			}
			mapped &= (b[10] == (byte) 0xff && b[11] == (byte) 0xff);
			compatible &= (b[10] == 0 && b[11] == 0);
			// NAT64 well-known prefix 64:ff9b::/96 embeds an IPv4 address too.
			boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
			for (int i = 4; i < 12 && nat64; i++) {
				nat64 = b[i] == 0;
			}
			if (mapped || nat64 || (compatible && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)))) {
				try {
					return InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] });
				}
				catch (UnknownHostException ex) {
					return address;
				}
			}
		}
		return address;
	}

	/**
	 * Whether an address is not a public unicast address.
	 * @param address the address (IPv4-mapped forms are unwrapped by the caller)
	 * @return whether it is internal
	 */
	static boolean isInternal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			return first == 0 // "this" network
					|| first == 10 || first == 127 || (first == 169 && second == 254)
					|| (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)
					|| (first == 100 && second >= 64 && second <= 127) // CGNAT
					|| (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
					|| (first == 192 && second == 0 && (b[2] & 0xff) == 2) // TEST-NET-1
					|| (first == 198 && (second == 18 || second == 19)) // benchmarking
					|| (first == 198 && second == 51 && (b[2] & 0xff) == 100) // TEST-NET-2
					|| (first == 203 && second == 0 && (b[2] & 0xff) == 113) // TEST-NET-3
					|| first >= 224; // multicast, reserved, broadcast
		}
		int first = b[0] & 0xff;
		return (first & 0xfe) == 0xfc // unique local fc00::/7
				|| (first == 0xfe && (b[1] & 0xc0) == 0x80) // link-local fe80::/10
				|| (first == 0xfe && (b[1] & 0xc0) == 0xc0) // deprecated site-local fec0::/10
				|| first == 0xff // multicast
				|| (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // documentation
				|| (first == 0x20 && (b[1] & 0xff) == 0x02) // 6to4 can reach any IPv4 address
				|| (first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) // Teredo
				|| first == 0; // ::/8 reserved (unspecified, loopback, IPv4-compatible)
	}

	/**
	 * A URL's origin as the allow-list and the endpoint rules compare it: lower-case scheme and
	 * host, and the port, the scheme's default made explicit ({@code https://a.example:443}).
	 * @param uri an absolute URL
	 * @return its origin
	 */
	public static String origin(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		return scheme + "://" + host + ":" + portOf(uri);
	}

	/** The URL's port, or its scheme's default (443 for https, 80 for http). */
	static int portOf(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
	}

	private static String safe(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "")
				+ ((uri.getRawPath() != null) ? uri.getRawPath() : "");
	}

	/** Resolves a host name, replaceable in tests. */
	@FunctionalInterface
	public interface HostResolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

}
