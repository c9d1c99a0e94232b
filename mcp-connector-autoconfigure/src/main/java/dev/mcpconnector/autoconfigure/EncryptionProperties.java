package dev.mcpconnector.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpconnector.crypto.AesGcmSecretCipher;

/**
 * Encryption of stored secrets ({@code mcp.connector.encryption.*}).
 */
class EncryptionProperties {

	/**
	 * AES-256 keys by key id, each 32 random bytes in base64 (for example from
	 * 'openssl rand -base64 32'). Key ids may use letters, digits, '.', '_' and '-'. Keep
	 * retired keys here until no stored secret uses them.
	 */
	private Map<String, String> keys = new LinkedHashMap<>();

	/**
	 * Id of the key that encrypts new secrets. May be omitted when exactly one key is
	 * configured.
	 */
	private String activeKeyId;

	public Map<String, String> getKeys() {
		return this.keys;
	}

	public void setKeys(Map<String, String> keys) {
		this.keys = keys;
	}

	public String getActiveKeyId() {
		return this.activeKeyId;
	}

	public void setActiveKeyId(String activeKeyId) {
		this.activeKeyId = activeKeyId;
	}

	/**
	 * Check configured keys: base64, 32 bytes, valid ids, and an active key among them. No key
	 * at all is no error here; only the default cipher needs one (a {@code SecretCipher} bean of
	 * the application's own does not), and it reports the missing key itself.
	 * @throws dev.mcpconnector.McpConnectorException {@code invalid-encryption-key} when a
	 * configured key cannot be used (the message never holds key material)
	 */
	void validate() {
		if (this.keys != null && !this.keys.isEmpty()) {
			AesGcmSecretCipher.fromBase64(this.keys, this.activeKeyId);
		}
	}

	@Override
	public String toString() {
		return "EncryptionProperties[keyIds=" + ((this.keys != null) ? this.keys.keySet() : "[]")
				+ ", activeKeyId=" + this.activeKeyId + "]";
	}

}
