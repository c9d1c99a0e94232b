package dev.mcpconnector.jpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.mcpconnector.connection.ConnectionStatus;

@Entity(name = "McpConnectorConnection")
@Table(schema = McpConnectorTables.ENTITY_SCHEMA, name = McpConnectorTables.CONNECTION)
class ConnectionEntity {

	@Id
	@Column(name = "id", nullable = false)
	UUID id;

	@Column(name = "tenant_id", nullable = false, length = 255)
	String tenantId;

	@Column(name = "owner_id", nullable = false, length = 255)
	String ownerId;

	@Column(name = "name", nullable = false, length = 255)
	String name;

	@Column(name = "server_url", nullable = false, length = 2048)
	String serverUrl;

	@Column(name = "resource_uri", nullable = false, length = 2048)
	String resourceUri;

	@Enumerated(EnumType.STRING)
	@Column(name = "status", nullable = false, length = 40)
	ConnectionStatus status;

	@Column(name = "issuer", length = 2048)
	String issuer;

	@Column(name = "granted_scopes", length = 4096)
	String grantedScopes;

	@Column(name = "requested_scopes", length = 4096)
	String requestedScopes;

	@Column(name = "request_timeout_ms")
	Long requestTimeoutMillis;

	@Column(name = "connect_timeout_ms")
	Long connectTimeoutMillis;

	@Column(name = "max_response_bytes")
	Long maxResponseBytes;

	@Enumerated(EnumType.STRING)
	@Column(name = "transport", nullable = false, length = 40)
	dev.mcpconnector.connection.McpTransport transport = dev.mcpconnector.connection.McpTransport.STREAMABLE_HTTP;

	@Column(name = "protocol_version", length = 20)
	String protocolVersion;

	@Column(name = "remote_account")
	byte[] remoteAccount;

	@Column(name = "created_at", nullable = false)
	Instant createdAt;

	@Column(name = "updated_at", nullable = false)
	Instant updatedAt;

	@Version
	@Column(name = "version", nullable = false)
	long version;

	protected ConnectionEntity() {
	}

}
