package dev.mcpconnector.jpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mcpconnector.approval.Approval;

@Entity(name = "McpConnectorApproval")
@Table(schema = McpConnectorTables.ENTITY_SCHEMA, name = McpConnectorTables.APPROVAL)
class ApprovalEntity {

	@Id
	@Column(name = "id", nullable = false)
	UUID id;

	@Column(name = "tenant_id", nullable = false, length = 255)
	String tenantId;

	@Column(name = "owner_id", nullable = false, length = 255)
	String ownerId;

	@Column(name = "connection_id", nullable = false)
	UUID connectionId;

	@Column(name = "tool", nullable = false, length = 255)
	String tool;

	@Column(name = "arguments_hash", nullable = false, length = 64)
	String argumentsHash;

	@Column(name = "preview", columnDefinition = "text")
	String preview;

	@Enumerated(EnumType.STRING)
	@Column(name = "status", nullable = false, length = 20)
	Approval.Status status;

	@Column(name = "created_at", nullable = false)
	Instant createdAt;

	@Column(name = "expires_at", nullable = false)
	Instant expiresAt;

	@Column(name = "decided_by", length = 255)
	String decidedBy;

	@Column(name = "decided_at")
	Instant decidedAt;

	protected ApprovalEntity() {
	}

}
