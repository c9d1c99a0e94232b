package dev.mcpconnector.execution;

import java.time.Clock;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/** One {@link AuditEvent.Type#TOOL_CALL} event per call, refused calls included. */
final class AuditInterceptor implements ToolCallInterceptor, Ordered {

	private final AuditLog audit;

	private final Clock clock;

	AuditInterceptor(AuditLog audit, Clock clock) {
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.audit = audit;
		this.clock = clock;
	}

	@Override
	public void after(ToolCallContext call, ToolCallInterceptor.Outcome outcome) {
		this.audit.record(new AuditEvent(this.clock.instant(), call.owner(), AuditEvent.Type.TOOL_CALL,
				call.connectionId(), call.toolName(), outcome.outcome(), outcome.decision(),
				outcome.latency().toMillis(), outcome.errorCode(), null));
	}

	@Override
	public boolean needsToolDefinition() {
		return false;
	}

	@Override
	public int getOrder() {
		return AUDIT_ORDER;
	}

}
