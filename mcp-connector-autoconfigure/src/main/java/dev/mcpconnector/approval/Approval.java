package dev.mcpconnector.approval;

import java.time.Instant;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;

/**
 * A request for a human to approve one tool call with exactly these arguments.
 *
 * @param id the id
 * @param owner who wants to make the call
 * @param connectionId the connection
 * @param tool the tool
 * @param argumentsHash SHA-256 of the canonical JSON of the arguments
 * @param preview the whole canonical arguments as JSON, for the approver (values the tool's
 * schema marks secret masked)
 * @param status where it stands
 * @param createdAt when it was requested
 * @param expiresAt when it stops being usable
 * @param decidedBy who approved or denied it, or {@code null}
 * @param decidedAt when, or {@code null}
 */
public record Approval(UUID id, McpOwner owner, UUID connectionId, String tool, String argumentsHash,
		String preview, Status status, Instant createdAt, Instant expiresAt, String decidedBy,
		Instant decidedAt) {

	/**
	 * Whether the approval can no longer be used.
	 * @param now the time
	 * @return whether {@code now} is at or past {@link #expiresAt()}
	 */
	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/** Where an approval request stands. */
	public enum Status {

		/** Waiting for a human. */
		PENDING,

		/** Approved and not used yet. */
		APPROVED,

		/** Denied: the call fails with {@code approval-denied}. */
		DENIED,

		/** Approved and used by the call it was for. */
		CONSUMED,

		/** Not decided, or not used, before it expired. */
		EXPIRED

	}

}
