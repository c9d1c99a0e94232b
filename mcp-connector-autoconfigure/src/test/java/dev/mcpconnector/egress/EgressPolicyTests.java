package dev.mcpconnector.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link EgressPolicy}: which addresses and URLs an outbound call may reach. Literal addresses
 * go through the JDK's own parser (no DNS); names go through a fixed table that stands in for
 * DNS, so every answer is the one the test gives.
 */
@Tag("fast")
class EgressPolicyTests {

	private static final Map<String, List<String>> DNS = Map.of("public.example", List.of("93.184.216.34"),
			"dual.example", List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
			"rebind.example", List.of("93.184.216.34", "10.0.0.7"), "loopback.example", List.of("127.0.0.1"),
			"metadata.example", List.of("169.254.169.254"), "internal.example", List.of("10.1.2.3"),
			"mapped.example", List.of("::ffff:127.0.0.1"), "empty.example", List.of(), "localhost",
			List.of("127.0.0.1"));

	private final EgressPolicy strict = new EgressPolicy(false, Set.of(), EgressPolicyTests::resolve);

	private final EgressPolicy insecureLoopback = new EgressPolicy(true, Set.of(), EgressPolicyTests::resolve);

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.255.255.254", // loopback
			"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", // RFC 1918
			"169.254.0.1", "169.254.169.254", // link-local, cloud metadata
			"100.64.0.1", "100.127.255.255", "100.100.100.200", // CGNAT (and a cloud metadata address in it)
			"0.0.0.0", "0.1.2.3", // "this" network
			"192.0.0.1", "192.0.2.1", "198.18.0.1", "198.19.255.255", "198.51.100.1", "203.0.113.1", // special use
			"224.0.0.1", "239.255.255.255", // multicast
			"240.0.0.1", "255.255.255.255" }) // reserved, broadcast
	void isInternalWhenSpecialIpv4ThenTrue(String literal) throws UnknownHostException {
		assertThat(EgressPolicy.isInternal(InetAddress.getByName(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255",
			"100.128.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
			"192.169.0.0", "192.0.1.1", "198.17.255.255", "198.20.0.0", "198.51.101.1", "203.0.114.1",
			"223.255.255.255" })
	void isInternalWhenPublicIpv4ThenFalse(String literal) throws UnknownHostException {
		assertThat(EgressPolicy.isInternal(InetAddress.getByName(literal))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "::1", "::", // loopback, unspecified
			"fc00::1", "fd12:3456:789a::1", "fd00:ec2::254", // unique local (and a cloud metadata address)
			"fe80::1", "febf:ffff::1", // link-local
			"fec0::1", // deprecated site-local
			"ff02::1", "ff0e::1", // multicast
			"2001:db8::1", // documentation
			"2002:7f00:1::", "2002:a9fe:a9fe::1", // 6to4, which embeds any IPv4 address
			"2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
			"::7f00:1" }) // IPv4-compatible 127.0.0.1
	void isInternalWhenSpecialIpv6ThenTrue(String literal) throws UnknownHostException {
		assertThat(EgressPolicy.isInternal(EgressPolicy.unwrapMapped(InetAddress.getByName(literal)))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e",
			"2606:2800:220:1:248:1893:25c8:1946" })
	void isInternalWhenPublicIpv6ThenFalse(String literal) throws UnknownHostException {
		assertThat(EgressPolicy.isInternal(EgressPolicy.unwrapMapped(InetAddress.getByName(literal)))).isFalse();
	}

	@Test
	void unwrapMappedWhenIpv4MappedOrCompatibleOrNat64ThenTheEmbeddedIpv4Address() throws UnknownHostException {
		// InetAddress.getByAddress would turn these bytes into an Inet4Address; a resolver may not
		InetAddress mapped = Inet6Address.getByAddress(null,
				bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254), -1);
		InetAddress compatible = InetAddress.getByName("::a9fe:a9fe");
		InetAddress nat64 = InetAddress.getByName("64:ff9b::a9fe:a9fe");
		for (InetAddress address : List.of(mapped, compatible, nat64)) {
			assertThat(EgressPolicy.unwrapMapped(address)).as(address.toString())
				.isEqualTo(InetAddress.getByName("169.254.169.254"));
		}
	}

	@Test
	void unwrapMappedWhenLoopbackOrUnspecifiedOrPlainIpv6ThenUnchanged() throws UnknownHostException {
		for (String literal : List.of("::1", "::", "2606:4700:4700::1111", "64:ff9b:1::a9fe:a9fe")) {
			InetAddress address = InetAddress.getByName(literal);
			assertThat(EgressPolicy.unwrapMapped(address)).as(literal).isSameAs(address);
		}
		InetAddress v4 = InetAddress.getByName("8.8.8.8");
		assertThat(EgressPolicy.unwrapMapped(v4)).isSameAs(v4);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://127.0.0.1/mcp", "https://[::1]/mcp", "https://[::ffff:127.0.0.1]/mcp",
			"https://[::ffff:7f00:1]/mcp", "https://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data",
			"https://[64:ff9b::a9fe:a9fe]/latest/meta-data", "https://[::a9fe:a9fe]/", "https://169.254.169.254/latest",
			"https://[fd00:ec2::254]/", "https://100.100.100.200/", "https://10.0.0.1:8443/mcp",
			"https://[fe80::1]/", "https://0.0.0.0/", "https://[::]/", "https://224.0.0.251/" })
	void checkWhenLiteralInternalAddressThenDenied(String url) {
		assertDenied(this.strict, url);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://2130706433/", // decimal 127.0.0.1
			"https://127.000.000.001/", // zero-padded
			"https://0/", // 0.0.0.0
			"https://2852039166/", // decimal 169.254.169.254
			"https://0x7f.0.0.1/", "https://127.1/", "https://%31%32%37.0.0.1/", "https://127.0.0.1./" })
	void checkWhenOddNotationOfAnInternalAddressThenDenied(String url) {
		assertDenied(this.strict, url);
	}

	@Test
	void checkWhenNameResolvesToInternalAddressThenDenied() {
		for (String host : List.of("loopback.example", "metadata.example", "internal.example", "mapped.example")) {
			assertThatExceptionOfType(McpConnectorException.class)
				.isThrownBy(() -> this.strict.check(URI.create("https://" + host + "/mcp")))
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
				.withMessageContaining(host);
		}
	}

	@Test
	void checkWhenResolverAnswersAnIpv4MappedIpv6AddressThenTheEmbeddedAddressDecides() throws UnknownHostException {
		InetAddress mappedPrivate = Inet6Address.getByAddress(null,
				bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1), -1);
		InetAddress mappedLoopback = Inet6Address.getByAddress(null,
				bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1), -1);
		InetAddress mappedPublic = Inet6Address.getByAddress(null,
				bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 93, 184, 216, 34), -1);
		EgressPolicy.HostResolver resolver = (host) -> switch (host) {
			case "private.example" -> new InetAddress[] { mappedPrivate };
			case "loop.example" -> new InetAddress[] { mappedLoopback };
			default -> new InetAddress[] { mappedPublic };
		};
		assertDenied(new EgressPolicy(false, Set.of(), resolver), "https://private.example/");
		assertDenied(new EgressPolicy(false, Set.of(), resolver), "https://loop.example/");
		assertDenied(new EgressPolicy(true, Set.of(), resolver), "https://private.example/");
		assertThat(new EgressPolicy(true, Set.of(), resolver).check(URI.create("https://loop.example/")))
			.containsExactly(mappedLoopback);
		assertThat(new EgressPolicy(false, Set.of(), resolver).check(URI.create("https://public.example/")))
			.containsExactly(mappedPublic);
	}

	@Test
	void checkWhenOneOfSeveralAddressesIsInternalThenDenied() {
		assertDenied(this.strict, "https://rebind.example/mcp");
	}

	@Test
	void checkWhenPublicHttpsThenAllowedWithEveryResolvedAddress() throws UnknownHostException {
		assertThat(this.strict.check(URI.create("https://public.example/mcp")))
			.containsExactly(InetAddress.getByName("93.184.216.34"));
		assertThat(this.strict.check(URI.create("https://DUAL.Example:8443/mcp?x=1"))).hasSize(2);
		assertThat(this.strict.check(URI.create("https://93.184.216.34/mcp")))
			.containsExactly(InetAddress.getByName("93.184.216.34"));
	}

	@Test
	void checkWhenHostUnknownOrResolvesToNothingThenDenied() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.strict.check(URI.create("https://unknown.example/")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageContaining("does not resolve, or resolves to");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.strict.check(URI.create("https://empty.example/")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageContaining("does not resolve, or resolves to");
	}

	@Test
	void checkWhenPlainHttpToPublicHostThenDeniedEvenWithInsecureLoopback() {
		assertDenied(this.strict, "http://public.example/mcp");
		assertDenied(this.insecureLoopback, "http://public.example/mcp");
		assertDenied(this.insecureLoopback, "http://93.184.216.34/mcp");
	}

	@Test
	void checkWhenHttpsToLoopbackAndInsecureLoopbackThenAllowed() {
		assertThat(this.insecureLoopback.check(URI.create("https://127.0.0.1:8443/mcp"))).hasSize(1);
		assertThat(this.insecureLoopback.check(URI.create("https://loopback.example/mcp"))).hasSize(1);
		assertThat(this.insecureLoopback.check(URI.create("https://[::1]/mcp"))).hasSize(1);
	}

	@Test
	void checkWhenPlainHttpToLoopbackLiteralOrLocalhostAndInsecureLoopbackThenAllowed() {
		EgressPolicy policy = new EgressPolicy(true, Set.of(), (host) -> "localhost".equals(host)
				? new InetAddress[] { InetAddress.getByName("127.0.0.1") } : InetAddress.getAllByName(host));
		assertThat(policy.check(URI.create("http://127.0.0.1:8080/mcp"))).hasSize(1);
		assertThat(policy.check(URI.create("http://[::1]:8080/mcp"))).hasSize(1);
		assertThat(policy.check(URI.create("http://LOCALHOST:8080/mcp"))).hasSize(1);
		assertThat(policy.allowsInsecureLoopback()).isTrue();
	}

	@Test
	void checkWhenPlainHttpToANameThatResolvesToLoopbackThenDenied() {
		// plain http is not tunnelled: a name whose DNS answer can change is refused
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.insecureLoopback.check(URI.create("http://loopback.example/mcp")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageContaining("only to loopback addresses and localhost");
	}

	@Test
	void checkWhenInsecureLoopbackThenPrivateAddressesAreStillDenied() {
		assertDenied(this.insecureLoopback, "https://10.0.0.1/mcp");
		assertDenied(this.insecureLoopback, "https://metadata.example/latest");
		assertDenied(this.insecureLoopback, "http://192.168.1.1/mcp");
		assertDenied(this.insecureLoopback, "https://rebind.example/mcp");
	}

	@Test
	void checkWhenStrictThenLoopbackDenied() {
		assertDenied(EgressPolicy.strict(), "https://127.0.0.1/mcp");
		assertDenied(EgressPolicy.strict(), "http://127.0.0.1/mcp");
		assertThat(EgressPolicy.strict().allowsInsecureLoopback()).isFalse();
	}

	@Test
	void checkWhenHostAllowlistedThenInternalAddressAllowedInAnyCase() {
		EgressPolicy policy = new EgressPolicy(false, Set.of("INTERNAL.example", "10.9.8.7"), EgressPolicyTests::resolve);
		assertThat(policy.check(URI.create("https://Internal.Example/mcp"))).hasSize(1);
		assertThat(policy.check(URI.create("https://10.9.8.7/mcp"))).hasSize(1);
		// only the listed host
		assertDenied(policy, "https://metadata.example/");
		assertDenied(policy, "https://10.9.8.8/");
		// allowlisting lifts the address rule, not the https rule
		assertDenied(policy, "http://internal.example/mcp");
	}

	@Test
	void checkWhenHostAllowlistedThenOnlyOnItsPort() {
		EgressPolicy policy = new EgressPolicy(false, Set.of("internal.example:8443", "10.9.8.7", "[fd00::7]:9000"),
				EgressPolicyTests::resolve);
		assertThat(policy.check(URI.create("https://internal.example:8443/token"))).hasSize(1);
		assertThat(policy.check(URI.create("https://10.9.8.7/mcp"))).hasSize(1);
		assertThat(policy.check(URI.create("https://10.9.8.7:443/mcp"))).hasSize(1);
		assertDenied(policy, "https://internal.example/token");
		assertDenied(policy, "https://internal.example:6379/");
		assertDenied(policy, "https://10.9.8.7:8443/mcp");
		assertThat(policy.isAllowListed(URI.create("https://[FD00::7]:9000/x"))).isTrue();
		assertThat(policy.isAllowListed(URI.create("https://[fd00::7]/x"))).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new EgressPolicy(false, Set.of("internal.example:0")));
		assertThatIllegalArgumentException().isThrownBy(() -> new EgressPolicy(false, Set.of("internal.example:x")));
	}

	@Test
	void checkWhenNullAllowlistThenNothingIsAllowlisted() {
		assertDenied(new EgressPolicy(false, null, EgressPolicyTests::resolve), "https://internal.example/");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://public.example/x", "file:///etc/passwd", "gopher://public.example/",
			"ws://public.example/", "wss://public.example/", "javascript:alert(1)", "mailto:a@public.example",
			"/relative/path", "//public.example/mcp", "https:///no-host", "https://user:pass@public.example/mcp",
			"https://user@public.example/mcp" })
	void checkSyntaxWhenNotAPlainHttpsUrlThenDenied(String url) {
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.strict.checkSyntax(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
	}

	@Test
	void checkSyntaxWhenNullThenDenied() {
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.strict.checkSyntax(null))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
	}

	@Test
	void checkSyntaxWhenHttpThenOnlyAllowedWithInsecureLoopback() {
		URI url = URI.create("http://public.example/authorize");
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.strict.checkSyntax(url))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
		this.insecureLoopback.checkSyntax(url);
		this.strict.checkSyntax(URI.create("HTTPS://public.example/authorize?response_type=code"));
	}

	@Test
	void checkSyntaxWhenInternalAddressThenNotResolvedAndNotDenied() {
		// the authorization endpoint is visited by the browser, not by the server
		EgressPolicy policy = new EgressPolicy(false, Set.of(), (host) -> {
			throw new AssertionError("checkSyntax must not resolve " + host);
		});
		policy.checkSyntax(URI.create("https://10.0.0.1/authorize"));
	}

	@Test
	void checkWhenDeniedThenMessageHasNoQueryOrUserInfo() {
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.strict.check(URI.create("http://public.example/cb?code=secret-code&state=state-value")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageContaining("http://public.example/cb")
			.withMessageNotContaining("secret-code")
			.withMessageNotContaining("state-value");
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.strict.check(URI.create("https://alice:hunter2@public.example/")))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED))
			.withMessageNotContaining("hunter2");
	}

	@Test
	void resolveCheckedWhenBracketedIpv6ThenUnbracketed() throws UnknownHostException {
		assertThat(this.strict.resolveChecked("[2606:4700:4700::1111]"))
			.containsExactly(InetAddress.getByName("2606:4700:4700::1111"));
		assertThatExceptionOfType(McpConnectorException.class)
			.isThrownBy(() -> this.strict.resolveChecked("[::1]"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
	}

	@Test
	void resolveCheckedWhenUnknownThenUnknownHostException() {
		assertThatExceptionOfType(UnknownHostException.class)
			.isThrownBy(() -> this.strict.resolveChecked("unknown.example"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "10.0.0.1", "::1", "2606:4700:4700::1111", "fe80::1%1", "0.0.0.0" })
	void isLiteralWhenAddressThenTrue(String host) {
		assertThat(EgressPolicy.isLiteral(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "public.example", "127.0.0.1.nip.io", "2130706433", "127.1", "" })
	void isLiteralWhenNameThenFalse(String host) {
		assertThat(EgressPolicy.isLiteral(host)).isFalse();
	}

	@Test
	void isLiteralWhenNullThenFalse() {
		assertThat(EgressPolicy.isLiteral(null)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9000/mcp", "http://localhost:9000/mcp", "http://[::1]:9000/mcp",
			"https://127.0.0.1/mcp", "https://[::1]/mcp" })
	void checkWhenLoopbackRefusedOnlyForThePropertyThenDetailNamesIt(String url) {
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.strict.check(URI.create(url)))
			.withMessageContaining("mcp.connector.egress.allow-insecure-loopback=true");
		assertThat(this.insecureLoopback.check(URI.create(url))).isNotEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://public.example/mcp", "https://internal.example/mcp", "https://10.0.0.1/mcp",
			"https://loopback.example/mcp" })
	/**
	 * Also a name that resolves to loopback: the hint goes by the name alone, so the detail
	 * does not tell that the name resolved at all (issue 23).
	 */
	void checkWhenRefusedForAnotherReasonThenDetailDoesNotSuggestTheProperty(String url) {
		assertThatExceptionOfType(McpConnectorException.class).isThrownBy(() -> this.strict.check(URI.create(url)))
			.withMessageNotContaining("allow-insecure-loopback");
	}

	private static void assertDenied(EgressPolicy policy, String url) {
		assertThatExceptionOfType(McpConnectorException.class).as(url).isThrownBy(() -> policy.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(McpConnectorErrorCode.EGRESS_DENIED));
	}

	/** Literal addresses through the JDK's parser (no lookup); names from the table. */
	private static InetAddress[] resolve(String host) throws UnknownHostException {
		List<String> answer = DNS.get(host);
		if (answer != null) {
			InetAddress[] addresses = new InetAddress[answer.size()];
			for (int i = 0; i < addresses.length; i++) {
				addresses[i] = InetAddress.getByName(answer.get(i));
			}
			return addresses;
		}
		if (host.indexOf(':') >= 0 || host.chars().allMatch((c) -> Character.isDigit(c) || c == '.')) {
			return InetAddress.getAllByName(host);
		}
		throw new UnknownHostException(host);
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
