package dev.mcpconnector.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpconnector.jpa.JpaKeyRotation;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * {@code /actuator/mcpconnectorkeys}: how many stored secrets each encryption key protects
 * (read), and re-encrypting them all under the active key in batches (write). A key whose count
 * is zero can be removed from the configuration.
 */
@Endpoint(id = "mcpconnectorkeys")
class McpConnectorKeysEndpoint {

	private final JpaKeyRotation rotation;

	private final String activeKeyId;

	McpConnectorKeysEndpoint(JpaKeyRotation rotation, String activeKeyId) {
		Assert.notNull(rotation, "rotation cannot be null");
		this.rotation = rotation;
		this.activeKeyId = activeKeyId;
	}

	@ReadOperation
	public Map<String, Object> keys() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("activeKeyId", this.activeKeyId);
		body.put("ciphertextsPerKey", this.rotation.ciphertextsPerKey());
		return body;
	}

	@WriteOperation
	public Map<String, Object> rotate() {
		long rewritten = this.rotation.rotateAll(100);
		Map<String, Object> body = keys();
		body.put("rewritten", rewritten);
		return body;
	}

}
