package dev.mcpconnector.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AssociatedData}: the bytes that bind a ciphertext to its table, column and row. Stored
 * ciphertexts depend on the exact layout, so it is spelled out here.
 */
@Tag("fast")
class AssociatedDataTests {

	@Test
	void ofWhenPurposeAndPartsThenLengthPrefixedDomainPurposeAndParts() {
		byte[] expected = concat(prefixed("mcp-connector/ad/v1"), prefixed("mcp_connection_credentials.access_token"),
				prefixed("7f1c"), prefixed("acme"), prefixed("alice"));
		assertThat(AssociatedData.of("mcp_connection_credentials.access_token", "7f1c", "acme", "alice"))
			.isEqualTo(expected);
	}

	@Test
	void ofWhenNoRowPartsThenDomainAndPurposeOnly() {
		assertThat(AssociatedData.of("t.c")).isEqualTo(concat(prefixed("mcp-connector/ad/v1"), prefixed("t.c")));
	}

	@Test
	void ofWhenNonAsciiThenLengthCountsUtf8Bytes() {
		byte[] data = AssociatedData.of("t.c", "é€");
		int offset = data.length - ("é€".getBytes(StandardCharsets.UTF_8).length) - 4;
		assertThat(ByteBuffer.wrap(data, offset, 4).getInt()).isEqualTo(5);
	}

	@Test
	void ofWhenSameInputsThenSameBytes() {
		assertThat(AssociatedData.of("t.c", "row", "alice")).isEqualTo(AssociatedData.of("t.c", "row", "alice"));
	}

	@Test
	void ofWhenPartsSplitOrShiftedDifferentlyThenDifferentBytes() {
		List<byte[]> variants = List.of(AssociatedData.of("p", "ab", "c"), AssociatedData.of("p", "a", "bc"),
				AssociatedData.of("p", "abc"), AssociatedData.of("p", "a", "b", "c"), AssociatedData.of("p", "", "abc"),
				AssociatedData.of("p", "abc", ""), AssociatedData.of("pa", "bc"), AssociatedData.of("p"),
				AssociatedData.of("p", ""), AssociatedData.of("p", "", ""));
		Set<String> distinct = new HashSet<>();
		for (byte[] variant : variants) {
			distinct.add(HexFormat.of().formatHex(variant));
		}
		assertThat(distinct).hasSize(variants.size());
	}

	@Test
	void ofWhenPurposeDiffersThenDifferentBytes() {
		assertThat(AssociatedData.of("mcp_connection_credentials.access_token", "row"))
			.isNotEqualTo(AssociatedData.of("mcp_connection_credentials.refresh_token", "row"));
	}

	@Test
	void ofWhenPurposeEmptyOrNullThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> AssociatedData.of(""));
		assertThatIllegalArgumentException().isThrownBy(() -> AssociatedData.of("  "));
		assertThatIllegalArgumentException().isThrownBy(() -> AssociatedData.of(null, "row"));
	}

	@Test
	void ofWhenAPartIsNullThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> AssociatedData.of("t.c", "row", null));
	}

	private static byte[] prefixed(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
	}

	private static byte[] concat(byte[]... parts) {
		ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts).mapToInt((p) -> p.length).sum());
		for (byte[] part : parts) {
			buffer.put(part);
		}
		return buffer.array();
	}

}
