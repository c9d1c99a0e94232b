package dev.mcpconnector.approval;

import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.McpConnectorErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.McpOwner;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Human approvals of tool calls. A call that needs one finds an approved, unused approval for
 * exactly its arguments and uses it up; otherwise it files (or joins) a pending request and
 * either waits for a decision, bounded, or returns at once with the request id. Decisions come
 * from the owner or an approver, through any application instance: the state lives in the
 * database and waiting callers poll it with backoff.
 */
public class ApprovalService {

	private static final Pattern SENSITIVE = Pattern.compile("(?i).*(pass|secret|token|key|auth|credential|cookie).*");

	private final ApprovalStore store;

	private final AuditLog audit;

	private final Duration lifetime;

	private final Duration maxWait;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param store the store
	 * @param audit where decisions are audited
	 * @param lifetime how long a request stays usable
	 * @param maxWait how long a call waits for a decision before it returns with the request id
	 * (zero: return at once)
	 * @param clock the clock
	 */
	public ApprovalService(ApprovalStore store, AuditLog audit, Duration lifetime, Duration maxWait, Clock clock) {
		Assert.notNull(store, "store cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.isTrue(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(), "lifetime must be positive");
		Assert.isTrue(maxWait != null && !maxWait.isNegative(), "maxWait cannot be negative");
		Assert.notNull(clock, "clock cannot be null");
		this.store = store;
		this.audit = audit;
		this.lifetime = lifetime;
		this.maxWait = maxWait;
		this.clock = clock;
	}

	/**
	 * Let a call proceed only with an approval for exactly these arguments.
	 * @param owner the caller
	 * @param connectionId the connection
	 * @param tool the tool
	 * @param arguments the arguments
	 * @throws ApprovalPendingException when no decision came in time
	 * @throws McpConnectorException with {@link McpConnectorErrorCode#APPROVAL_DENIED} when it was denied
	 */
	public void requireApproval(McpOwner owner, UUID connectionId, String tool, Map<String, Object> arguments) {
		String hash = hash(connectionId, tool, arguments);
		if (this.store.consumeApproved(owner, connectionId, tool, hash, now())) {
			return;
		}
		Approval pending = this.store.findPending(owner, connectionId, tool, hash, now())
			.orElseGet(() -> this.store.create(new Approval(UUID.randomUUID(), owner, connectionId, tool, hash,
					preview(arguments), Approval.Status.PENDING, now(), now().plus(this.lifetime), null, null)));
		long deadline = System.nanoTime() + this.maxWait.toNanos();
		long pause = 100;
		while (System.nanoTime() < deadline) {
			sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
			pause = Math.min(pause * 2, 1000);
			Optional<Approval> current = this.store.find(pending.id());
			if (current.isEmpty()) {
				break;
			}
			switch (current.get().status()) {
				case APPROVED -> {
					if (this.store.consumeApproved(owner, connectionId, tool, hash, now())) {
						return;
					}
				}
				case DENIED -> throw new McpConnectorException(McpConnectorErrorCode.APPROVAL_DENIED,
						"The call was denied (request " + pending.id() + ")");
				case EXPIRED, CONSUMED -> throw new ApprovalPendingException(pending.id());
				default -> {
				}
			}
		}
		throw new ApprovalPendingException(pending.id());
	}

	/**
	 * Pending approvals the requester may see: their own, or the whole tenant's for approvers.
	 */
	public List<Approval> pending(McpOwner requester, boolean approver) {
		return this.store.listPending(requester.tenantId(), approver ? null : requester.principal(), now());
	}

	/**
	 * Approve a pending request.
	 * @param id the approval
	 * @param decider who approves it
	 * @param approver whether the decider may decide any owner's requests of the tenant
	 * @throws McpConnectorException with {@link McpConnectorErrorCode#APPROVAL_NOT_FOUND} when there is no
	 * such pending request the decider may decide
	 */
	public void approve(UUID id, McpOwner decider, boolean approver) {
		decide(id, decider, approver, Approval.Status.APPROVED);
	}

	/**
	 * Deny a pending request.
	 * @param id the approval
	 * @param decider who denies it
	 * @param approver whether the decider may decide any owner's requests of the tenant
	 * @throws McpConnectorException with {@link McpConnectorErrorCode#APPROVAL_NOT_FOUND} when there is no
	 * such pending request the decider may decide
	 */
	public void deny(UUID id, McpOwner decider, boolean approver) {
		decide(id, decider, approver, Approval.Status.DENIED);
	}

	/** No pending approval with this id that the caller may decide (404). */
	private static McpConnectorException notFound() {
		return new McpConnectorException(McpConnectorErrorCode.APPROVAL_NOT_FOUND, "No such pending approval");
	}

	private void decide(UUID id, McpOwner decider, boolean approver, Approval.Status decision) {
		Approval approval = this.store.find(id).orElseThrow(ApprovalService::notFound);
		if (!this.store.decide(id, decider.tenantId(), approver ? null : decider.principal(), decision,
				decider.principal(), now())) {
			throw notFound();
		}
		this.audit.record(new AuditEvent(now(), approval.owner(), AuditEvent.Type.APPROVAL_DECISION,
				approval.connectionId(), approval.tool(), decision.name().toLowerCase(java.util.Locale.ROOT),
				decision.name().toLowerCase(java.util.Locale.ROOT), null, null, decider.principal()));
	}

	/** Expire pending approvals past their lifetime; returns how many. */
	public int expire() {
		return this.store.expire(now());
	}

	String hash(UUID connectionId, String tool, Map<String, Object> arguments) {
		try {
			String canonical = this.json.writeValueAsString(canonical(arguments));
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((connectionId + "\n" + tool + "\n").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Object canonical(Object value) {
		if (value instanceof Map<?, ?> map) {
			TreeMap<String, Object> sorted = new TreeMap<>();
			map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
			return sorted;
		}
		if (value instanceof List<?> list) {
			return list.stream().map(ApprovalService::canonical).toList();
		}
		return value;
	}

	static String preview(Map<String, Object> arguments) {
		if (arguments == null || arguments.isEmpty()) {
			return "{}";
		}
		StringBuilder preview = new StringBuilder("{");
		new TreeMap<>(arguments).forEach((key, value) -> {
			if (preview.length() > 1) {
				preview.append(", ");
			}
			String shown = SENSITIVE.matcher(key).matches() ? "[REDACTED]" : String.valueOf(value);
			if (shown.length() > 60) {
				shown = shown.substring(0, 57) + "...";
			}
			preview.append(key).append('=').append(shown);
		});
		String result = preview.append('}').toString();
		return (result.length() > 1000) ? result.substring(0, 997) + "..." : result;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for an approval");
		}
	}

}
