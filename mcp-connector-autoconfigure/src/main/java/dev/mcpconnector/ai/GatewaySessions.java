package dev.mcpconnector.ai;

import java.security.SecureRandom;
import java.util.Base64;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.crypto.SecretCipher;

/**
 * MCP session ids that hold no server state: an id is a random value sealed with the
 * connector's {@link SecretCipher} and bound (as associated data) to the owner who opened it,
 * so any instance that shares the encryption keys can tell whether an id belongs to the
 * caller, and none keeps a table of sessions. An id presented by another user does not
 * decrypt, and is treated as a session that does not exist.
 */
final class GatewaySessions {

	private static final String PURPOSE = "mcp_gateway.session";

	private static final int NONCE_BYTES = 16;

	private final SecretCipher cipher;

	private final SecureRandom random = new SecureRandom();

	GatewaySessions(SecretCipher cipher) {
		this.cipher = cipher;
	}

	/** A new session id for the owner: visible ASCII, as the MCP transport requires. */
	String open(McpOwner owner) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(this.cipher.encrypt(nonce, boundTo(owner)));
	}

	/** Whether the id was opened by this owner (with a key this instance still has). */
	boolean belongsTo(String sessionId, McpOwner owner) {
		try {
			this.cipher.decrypt(Base64.getUrlDecoder().decode(sessionId), boundTo(owner));
			return true;
		}
		catch (IllegalArgumentException | McpConnectorException ex) {
			return false;
		}
	}

	private static byte[] boundTo(McpOwner owner) {
		return SecretCipher.associatedData(PURPOSE, owner.tenantId(), owner.principal());
	}

}
