package dev.mcpconnector.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mcpconnector.registration.ClientRegistrationSource;

@Entity(name = "McpConnectorClientRegistration")
@Table(schema = McpConnectorTables.ENTITY_SCHEMA, name = McpConnectorTables.CLIENT_REGISTRATION)
class ClientRegistrationEntity {

	@Id
	@Column(name = "issuer", nullable = false, length = 2048)
	String issuer;

	@Column(name = "client_id", nullable = false, length = 2048)
	String clientId;

	@Column(name = "client_secret")
	byte[] clientSecret;

	@Column(name = "auth_method", nullable = false, length = 64)
	String authMethod;

	@Enumerated(EnumType.STRING)
	@Column(name = "source", nullable = false, length = 40)
	ClientRegistrationSource source;

	@Column(name = "redirect_uri", length = 2048)
	String redirectUri;

	@Column(name = "client_secret_expires_at")
	Instant clientSecretExpiresAt;

	@Column(name = "created_at", nullable = false)
	Instant createdAt;

	protected ClientRegistrationEntity() {
	}

}
