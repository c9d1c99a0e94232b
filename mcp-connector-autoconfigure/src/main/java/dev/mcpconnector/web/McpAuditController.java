package dev.mcpconnector.web;

import dev.mcpconnector.McpConnectorErrorCode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditQuery;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.usage.UsageService;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log and the usage of the authenticated user. A caller with the tenant
 * administrator authority may ask for {@code scope=tenant} (every user of its own tenant); only
 * one with the global administrator authority may ask for {@code scope=all} (every tenant).
 * Anyone else asking for those gets 403.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}")
class McpAuditController {

	/** The tenant administrator authority when none is configured. */
	public static final String DEFAULT_ADMIN_AUTHORITY = "ROLE_MCP_ADMIN";

	/** The global administrator authority when none is configured. */
	public static final String DEFAULT_GLOBAL_ADMIN_AUTHORITY = "ROLE_MCP_GLOBAL_ADMIN";

	/** Default page size of {@code GET /audit}. */
	static final int DEFAULT_LIMIT = 50;

	/** Largest page size of {@code GET /audit}. */
	static final int MAX_LIMIT = 500;

	/** Longest date range of {@code GET /usage}, in days. */
	static final int MAX_USAGE_DAYS = 366;

	/** Days of usage when no range is given (today and the 29 days before). */
	static final int DEFAULT_USAGE_DAYS = 30;

	private final AuditQuery audit;

	private final UsageService usage;

	private final CurrentOwner currentOwner;

	private final String adminAuthority;

	private final String globalAdminAuthority;

	public McpAuditController(AuditQuery audit, UsageService usage, OwnerResolver ownerResolver,
			String adminAuthority, String globalAdminAuthority) {
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(usage, "usage cannot be null");
		this.audit = audit;
		this.usage = usage;
		this.currentOwner = new CurrentOwner(ownerResolver);
		this.adminAuthority = StringUtils.hasText(adminAuthority) ? adminAuthority : DEFAULT_ADMIN_AUTHORITY;
		this.globalAdminAuthority = StringUtils.hasText(globalAdminAuthority) ? globalAdminAuthority
				: DEFAULT_GLOBAL_ADMIN_AUTHORITY;
	}

	/**
	 * Audit events, newest first.
	 * @param authentication the caller
	 * @param scope {@code own} (default), {@code tenant} or {@code all}
	 * @param type only events of this type ({@code TOOL_CALL}, ...), case-insensitive
	 * @param limit page size, 1 to {@value #MAX_LIMIT}
	 * @param offset events to skip
	 * @return the events
	 */
	@GetMapping("/audit")
	public List<AuditEventResponse> audit(Authentication authentication,
			@RequestParam(name = "scope", required = false) String scope,
			@RequestParam(name = "type", required = false) String type,
			@RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit,
			@RequestParam(name = "offset", defaultValue = "0") int offset) {
		McpOwner owner = this.currentOwner.of(authentication);
		Scope resolved = scope(authentication, scope);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw badRequest("limit must be between 1 and " + MAX_LIMIT);
		}
		if (offset < 0) {
			throw badRequest("offset cannot be negative");
		}
		AuditEvent.Type eventType = eventType(type);
		List<AuditQuery.Row> records = switch (resolved) {
			case OWN -> this.audit.forOwner(owner, eventType, limit, offset);
			case TENANT -> this.audit.forTenant(owner.tenantId(), eventType, limit, offset);
			case ALL -> this.audit.all(eventType, limit, offset);
		};
		return records.stream().map(AuditEventResponse::of).toList();
	}

	/**
	 * Tool-call usage by day, connection and tool; both dates inclusive, default the last 30
	 * days.
	 * @param authentication the caller
	 * @param scope {@code own} (default), {@code tenant} or {@code all}
	 * @param from first day ({@code YYYY-MM-DD})
	 * @param to last day ({@code YYYY-MM-DD})
	 * @return the usage rows
	 */
	@GetMapping("/usage")
	public List<UsageResponse> usage(Authentication authentication,
			@RequestParam(name = "scope", required = false) String scope,
			@RequestParam(name = "from", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(name = "to", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		McpOwner owner = this.currentOwner.of(authentication);
		Scope resolved = scope(authentication, scope);
		LocalDate last = (to != null) ? to : ((from != null) ? from.plusDays(DEFAULT_USAGE_DAYS - 1) : this.usage.today());
		LocalDate first = (from != null) ? from : last.minusDays(DEFAULT_USAGE_DAYS - 1);
		if (last.isBefore(first)) {
			throw badRequest("to cannot be before from");
		}
		if (ChronoUnit.DAYS.between(first, last) >= MAX_USAGE_DAYS) {
			throw badRequest("the range cannot be longer than " + MAX_USAGE_DAYS + " days");
		}
		List<UsageService.Row> rows = switch (resolved) {
			case OWN -> this.usage.usage(owner, first, last);
			case TENANT -> this.usage.usageOfTenant(owner.tenantId(), first, last);
			case ALL -> this.usage.usageOfAll(first, last);
		};
		return rows.stream().map(UsageResponse::of).toList();
	}

	private Scope scope(Authentication authentication, String scope) {
		if (!StringUtils.hasText(scope) || "own".equalsIgnoreCase(scope)) {
			return Scope.OWN;
		}
		Scope resolved;
		if ("tenant".equalsIgnoreCase(scope)) {
			resolved = Scope.TENANT;
		}
		else if ("all".equalsIgnoreCase(scope)) {
			resolved = Scope.ALL;
		}
		else {
			throw badRequest("scope must be own, tenant or all");
		}
		boolean global = has(authentication, this.globalAdminAuthority);
		if (resolved == Scope.ALL && !global) {
			throw new ErrorResponseException(HttpStatus.FORBIDDEN, McpConnectorProblemHandler.problem(
					McpConnectorErrorCode.FORBIDDEN, "Only a global administrator may see every tenant's records"),
					null);
		}
		if (!global && !has(authentication, this.adminAuthority)) {
			throw new ErrorResponseException(HttpStatus.FORBIDDEN, McpConnectorProblemHandler
				.problem(McpConnectorErrorCode.FORBIDDEN, "Only an administrator may see other users' records"), null);
		}
		return resolved;
	}

	private static boolean has(Authentication authentication, String wanted) {
		if (authentication == null) {
			return false;
		}
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (wanted.equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	private static AuditEvent.Type eventType(String type) {
		if (!StringUtils.hasText(type)) {
			return null;
		}
		try {
			return AuditEvent.Type.valueOf(type.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("unknown event type");
		}
	}

	private static ErrorResponseException badRequest(String detail) {
		return new ErrorResponseException(HttpStatus.BAD_REQUEST,
				McpConnectorProblemHandler.problem(McpConnectorErrorCode.INVALID_REQUEST, detail), null);
	}

	private enum Scope {

		OWN, TENANT, ALL

	}

	/**
	 * One audit event.
	 *
	 * @param id the event's id
	 * @param at when it happened
	 * @param tenantId the owner's tenant (empty without tenants)
	 * @param principal the owner's principal name
	 * @param type the kind of event
	 * @param connectionId the connection, or {@code null}
	 * @param tool the tool, or {@code null}
	 * @param outcome the outcome
	 * @param decision the policy or approval decision, or {@code null}
	 * @param latencyMillis the tool call's latency, or {@code null}
	 * @param detail a short detail, or {@code null}
	 * @param actor who decided an approval, or {@code null}
	 */
	public record AuditEventResponse(long id, Instant at, String tenantId, String principal, AuditEvent.Type type,
			UUID connectionId, String tool, String outcome, String decision, Long latencyMillis, String detail,
			String actor) {

		static AuditEventResponse of(AuditQuery.Row record) {
			return new AuditEventResponse(record.id(), record.at(), record.owner().tenantId(),
					record.owner().principal(), record.type(), record.connectionId(), record.tool(), record.outcome(),
					record.decision(), record.latencyMillis(), record.detail(), record.actor());
		}

	}

	/**
	 * Tool calls on one day, of one owner, connection and tool.
	 *
	 * @param day the day
	 * @param tenantId the owner's tenant (empty without tenants)
	 * @param principal the owner's principal name
	 * @param connectionId the connection, or {@code null}
	 * @param tool the tool, or {@code null}
	 * @param calls every call
	 * @param errors calls that failed or were refused (outcome other than ok and tool-error)
	 * @param toolErrors calls the tool answered with an error
	 * @param avgLatencyMillis mean latency, or {@code null}
	 * @param p95LatencyMillis 95th percentile latency, or {@code null}
	 */
	public record UsageResponse(LocalDate day, String tenantId, String principal, UUID connectionId, String tool,
			long calls, long errors, long toolErrors, Double avgLatencyMillis, Double p95LatencyMillis) {

		static UsageResponse of(UsageService.Row row) {
			return new UsageResponse(row.day(), row.owner().tenantId(), row.owner().principal(), row.connectionId(),
					row.tool(), row.calls(), row.errors(), row.toolErrors(), row.avgLatencyMillis(),
					row.p95LatencyMillis());
		}

	}

}
