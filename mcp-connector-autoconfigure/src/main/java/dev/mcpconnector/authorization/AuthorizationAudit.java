package dev.mcpconnector.authorization;

import java.time.Clock;
import java.util.UUID;

import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.audit.AuditLog;
import dev.mcpconnector.connection.McpOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Records connects, authorization outcomes, refreshes, refresh failures and revocations. An
 * audit log that fails never fails the authorization step it records.
 */
final class AuthorizationAudit {

	private static final Logger logger = LoggerFactory.getLogger(AuthorizationAudit.class);

	private final AuditLog log;

	private final Clock clock;

	AuthorizationAudit(AuditLog log, Clock clock) {
		Assert.notNull(log, "log cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.log = log;
		this.clock = clock;
	}

	void record(McpOwner owner, AuditEvent.Type type, UUID connectionId, String outcome, String detail) {
		try {
			this.log.record(new AuditEvent(this.clock.instant(), owner, type, connectionId, null, outcome, null, null,
					detail, null));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record an audit event: {}", ex.getClass().getSimpleName());
		}
	}

}
