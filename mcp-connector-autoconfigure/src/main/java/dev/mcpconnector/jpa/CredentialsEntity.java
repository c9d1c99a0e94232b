package dev.mcpconnector.jpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity(name = "McpConnectorCredentials")
@Table(schema = McpConnectorTables.ENTITY_SCHEMA, name = McpConnectorTables.CREDENTIALS)
class CredentialsEntity {

	@Id
	@Column(name = "connection_id", nullable = false)
	UUID connectionId;

	@Column(name = "access_token", nullable = false)
	byte[] accessToken;

	@Column(name = "refresh_token")
	byte[] refreshToken;

	@Column(name = "token_type", nullable = false, length = 40)
	String tokenType;

	@Column(name = "expires_at")
	Instant expiresAt;

	@Column(name = "scopes", length = 4096)
	String scopes;

	/** The client the grant was issued to; null for rows that predate V11 (the issuer's current client). */
	@Column(name = "client_id", length = 2048)
	String clientId;

	@Column(name = "dpop_key")
	byte[] dpopKey;

	@Column(name = "updated_at", nullable = false)
	Instant updatedAt;

	protected CredentialsEntity() {
	}

}
