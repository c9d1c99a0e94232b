package dev.mcpconnector.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;

/** Storage of approvals, shared by every application instance. */
public interface ApprovalStore {

	Approval create(Approval approval);

	/** A pending, unexpired approval for exactly this call, if one exists. */
	Optional<Approval> findPending(McpOwner owner, UUID connectionId, String tool, String argumentsHash, Instant now);

	/**
	 * Atomically use up an approved, unexpired approval for exactly this call.
	 * @return whether one was consumed
	 */
	boolean consumeApproved(McpOwner owner, UUID connectionId, String tool, String argumentsHash, Instant now);

	Optional<Approval> find(UUID id);

	/**
	 * Pending, unexpired approvals in a tenant, of one owner or of everyone.
	 * @param tenantId the tenant
	 * @param principal the owner's principal, or {@code null} for every owner of the tenant
	 * @param now the time
	 * @return the approvals, oldest first
	 */
	List<Approval> listPending(String tenantId, String principal, Instant now);

	/**
	 * Decide a pending, unexpired approval of the tenant (and of the owner, when given).
	 * @return whether it was decided by this call
	 */
	boolean decide(UUID id, String tenantId, String principal, Approval.Status decision, String decidedBy, Instant now);

	/** Mark pending approvals past their expiry as expired; returns how many. */
	int expire(Instant now);

}
