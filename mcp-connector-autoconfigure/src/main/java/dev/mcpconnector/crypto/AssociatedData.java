package dev.mcpconnector.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.util.Assert;

/**
 * Builds the associated data that binds a ciphertext to the place it is stored: a purpose
 * (table and column) and the parts that identify the row (its id, its owner). Every part is
 * length-prefixed, so no two different lists of parts produce the same bytes. Callers use
 * {@link SecretCipher#associatedData(String, String...)}.
 */
final class AssociatedData {

	private static final byte[] DOMAIN = "mcp-connector/ad/v1".getBytes(StandardCharsets.UTF_8);

	private AssociatedData() {
	}

	/**
	 * Associated data for one secret column of one row.
	 * @param purpose the table and column, such as {@code mcp_connection_credentials.access_token}
	 * @param rowParts the values that identify the row, in a fixed order
	 * @return the associated data
	 */
	static byte[] of(String purpose, String... rowParts) {
		Assert.hasText(purpose, "purpose cannot be empty");
		ByteArrayOutputStream out = new ByteArrayOutputStream(64);
		write(out, DOMAIN);
		write(out, purpose.getBytes(StandardCharsets.UTF_8));
		for (String part : rowParts) {
			Assert.notNull(part, "rowParts cannot contain null");
			write(out, part.getBytes(StandardCharsets.UTF_8));
		}
		return out.toByteArray();
	}

	private static void write(ByteArrayOutputStream out, byte[] bytes) {
		int length = bytes.length;
		out.write(length >>> 24);
		out.write(length >>> 16);
		out.write(length >>> 8);
		out.write(length);
		out.write(bytes, 0, length);
	}

}
