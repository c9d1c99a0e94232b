package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.McpConnectorErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.mcpconnector.approval.Approval;
import dev.mcpconnector.approval.ApprovalService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pending approvals of tool calls: the caller's own, or their whole tenant's for holders of the
 * configured approver authority; approve or deny one.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}/approvals")
class McpApprovalController {

	private final ApprovalService approvals;

	private final CurrentOwner currentOwner;

	private final String approverAuthority;

	public McpApprovalController(ApprovalService approvals, OwnerResolver ownerResolver, String approverAuthority) {
		Assert.notNull(approvals, "approvals cannot be null");
		this.approvals = approvals;
		this.currentOwner = new CurrentOwner(ownerResolver);
		this.approverAuthority = approverAuthority;
	}

	@GetMapping
	public List<ApprovalResponse> pending(Authentication authentication) {
		McpOwner owner = this.currentOwner.of(authentication);
		return this.approvals.pending(owner, isApprover(authentication))
			.stream()
			.map(ApprovalResponse::of)
			.toList();
	}

	@PostMapping("/{id}/approve")
	public ResponseEntity<Void> approve(Authentication authentication, @PathVariable("id") String id) {
		this.approvals.approve(parse(id), this.currentOwner.of(authentication), isApprover(authentication));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/deny")
	public ResponseEntity<Void> deny(Authentication authentication, @PathVariable("id") String id) {
		this.approvals.deny(parse(id), this.currentOwner.of(authentication), isApprover(authentication));
		return ResponseEntity.noContent().build();
	}

	private boolean isApprover(Authentication authentication) {
		return this.approverAuthority != null && authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> this.approverAuthority.equals(authority.getAuthority()));
	}

	private static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.APPROVAL_NOT_FOUND, "No such pending approval");
		}
	}

	/**
	 * An approval as the frontend shows it.
	 *
	 * @param id the id
	 * @param requestedBy who wants to make the call
	 * @param connectionId the connection
	 * @param tool the tool
	 * @param arguments the whole canonical arguments as JSON (values the tool's schema marks
	 * secret masked): what the approval is bound to
	 * @param status the status
	 * @param createdAt when it was requested
	 * @param expiresAt when it expires
	 */
	public record ApprovalResponse(UUID id, String requestedBy, UUID connectionId, String tool, String arguments,
			String status, Instant createdAt, Instant expiresAt) {

		static ApprovalResponse of(Approval approval) {
			return new ApprovalResponse(approval.id(), approval.owner().principal(), approval.connectionId(),
					approval.tool(), approval.preview(), approval.status().name(), approval.createdAt(),
					approval.expiresAt());
		}

	}

}
