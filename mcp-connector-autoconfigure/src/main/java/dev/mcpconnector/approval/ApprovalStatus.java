package dev.mcpconnector.approval;

/** Where an approval request stands. */
public enum ApprovalStatus {

	PENDING, APPROVED, DENIED, CONSUMED, EXPIRED

}
