package dev.mcpconnector.jpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity(name = "McpConnectorPendingAuthorization")
@Table(schema = McpConnectorTables.ENTITY_SCHEMA, name = McpConnectorTables.PENDING_AUTHORIZATION)
class PendingAuthorizationEntity {

	@Id
	@Column(name = "state_hash", nullable = false, length = 64)
	String stateHash;

	@Column(name = "tenant_id", nullable = false, length = 255)
	String tenantId;

	@Column(name = "owner_id", nullable = false, length = 255)
	String ownerId;

	@Column(name = "connection_id", nullable = false)
	UUID connectionId;

	@Column(name = "code_verifier", nullable = false)
	byte[] codeVerifier;

	@Column(name = "issuer", nullable = false, length = 2048)
	String issuer;

	@Column(name = "requested_scopes", length = 4096)
	String requestedScopes;

	@Column(name = "redirect_uri", nullable = false, length = 2048)
	String redirectUri;

	@Column(name = "return_to", length = 2048)
	String returnTo;

	@Column(name = "nonce_hash", length = 64)
	String nonceHash;

	@Column(name = "created_at", nullable = false)
	Instant createdAt;

	@Column(name = "expires_at", nullable = false)
	Instant expiresAt;

	protected PendingAuthorizationEntity() {
	}

}
