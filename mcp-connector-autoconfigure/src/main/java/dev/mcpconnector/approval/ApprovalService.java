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

	/** What an approver sees instead of a value the tool's schema marks secret. */
	static final String SECRET = "[secret]";

	/**
	 * Longest review of the arguments, as JSON: the approver sees all of them, so arguments
	 * longer than this are refused rather than shown in part.
	 */
	static final int MAX_REVIEW_CHARS = 256 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ApprovalStore store;

	private final AuditLog audit;

	private final Duration lifetime;

	private final Duration maxWait;

	private final Clock clock;


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
		requireApproval(owner, connectionId, tool, arguments, null);
	}

	/**
	 * Let a call proceed only with an approval for exactly these arguments; the approver sees
	 * all of them ({@link #review}), values the tool's input schema marks secret masked.
	 * @param owner the caller
	 * @param connectionId the connection
	 * @param tool the tool
	 * @param arguments the arguments
	 * @param inputSchema the tool's input schema, or {@code null} when not known
	 * @throws ApprovalPendingException when no decision came in time
	 * @throws McpConnectorException with {@link McpConnectorErrorCode#APPROVAL_DENIED} when it was denied, or
	 * {@link McpConnectorErrorCode#INVALID_TOOL_ARGUMENTS} when the arguments are too long to review
	 */
	public void requireApproval(McpOwner owner, UUID connectionId, String tool, Map<String, Object> arguments,
			Map<String, Object> inputSchema) {
		String hash = hash(connectionId, tool, arguments);
		if (this.store.consumeApproved(owner, connectionId, tool, hash, now())) {
			return;
		}
		Approval pending = this.store.findPending(owner, connectionId, tool, hash, now())
			.orElseGet(() -> this.store.create(new Approval(UUID.randomUUID(), owner, connectionId, tool, hash,
					review(arguments, inputSchema), Approval.Status.PENDING, now(), now().plus(this.lifetime), null, null)));
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
			String canonical = JSON.writeValueAsString(canonical(arguments));
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

	/**
	 * The arguments as the approver sees them: the canonical JSON the approval is bound to
	 * (keys sorted, nested values included), nothing cut. Only values the tool's input schema
	 * marks secret ({@code writeOnly: true} or {@code format: password}, at any depth) are
	 * masked; key names are not guessed at, so a secret the schema does not name is shown.
	 * @param arguments the arguments
	 * @param inputSchema the tool's input schema, or {@code null}
	 * @return the JSON text
	 */
	static String review(Map<String, Object> arguments, Map<String, Object> inputSchema) {
		String json = JSON.writeValueAsString(mask(canonical((arguments != null) ? arguments : Map.of()), inputSchema));
		if (json.length() > MAX_REVIEW_CHARS) {
			throw new McpConnectorException(McpConnectorErrorCode.INVALID_TOOL_ARGUMENTS, "The arguments are longer than "
					+ MAX_REVIEW_CHARS + " characters as JSON, too long for an approver to review");
		}
		return json;
	}

	private static Object mask(Object value, Object schema) {
		if (!(schema instanceof Map<?, ?> rules)) {
			return value;
		}
		if (Boolean.TRUE.equals(rules.get("writeOnly")) || "password".equals(rules.get("format"))) {
			return SECRET;
		}
		if (value instanceof Map<?, ?> map && rules.get("properties") instanceof Map<?, ?> properties) {
			TreeMap<String, Object> masked = new TreeMap<>();
			map.forEach((k, v) -> masked.put(String.valueOf(k), mask(v, properties.get(k))));
			return masked;
		}
		if (value instanceof List<?> list && rules.get("items") instanceof Map<?, ?> items) {
			return list.stream().map((item) -> mask(item, items)).toList();
		}
		return value;
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
