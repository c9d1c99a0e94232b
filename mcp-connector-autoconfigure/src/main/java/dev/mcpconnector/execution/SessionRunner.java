package dev.mcpconnector.execution;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.discovery.BearerChallenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Runs one operation on the pooled session of an owner's connection and recovers what can be
 * recovered without the user, once: a session the server forgot or lost is opened again; a
 * Streamable HTTP POST refused by a server that speaks HTTP+SSE switches the connection to
 * that transport; a 401 on HTTP+SSE refreshes the token; a server that changed revision is
 * probed again. A 2026-07-28 request is never replayed after it may have reached the server. A
 * 401 that cannot be refreshed and a 403 {@code insufficient_scope} become
 * {@link AuthorizationRequiredException}s; everything else goes through the
 * {@link SdkExceptionTranslator}.
 */
final class SessionRunner {

	private static final Logger logger = LoggerFactory.getLogger(SessionRunner.class);

	private final SessionPool pool;

	private final McpConnectionService connections;

	private final SessionAuthorization authorization;

	private final SdkExceptionTranslator translator;

	private final LegacySseDetector legacySse;

	SessionRunner(SessionPool pool, McpConnectionService connections, SessionAuthorization authorization,
			SdkExceptionTranslator translator, LegacySseDetector legacySse) {
		this.pool = pool;
		this.connections = connections;
		this.authorization = authorization;
		this.translator = translator;
		this.legacySse = legacySse;
	}

	/**
	 * The session of a connection, opened when there is none.
	 * @param owner the owner
	 * @param connectionId the connection
	 * @return the session
	 */
	McpSession session(McpOwner owner, UUID connectionId) {
		return this.pool.get(new McpSession.Key(owner, connectionId));
	}

	<T> T execute(McpOwner owner, UUID connectionId, String what, Function<McpSession, T> operation) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connectionId, "connectionId cannot be null");
		// Counted against the owner's caps (calls in flight; the session is busy meanwhile).
		return this.pool.admit(new McpSession.Key(owner, connectionId),
				() -> run(owner, connectionId, what, operation));
	}

	private <T> T run(McpOwner owner, UUID connectionId, String what, Function<McpSession, T> operation) {
		boolean eraChecked = false;
		for (int attempt = 0;; attempt++) {
			McpSession session = session(owner, connectionId);
			session.touch();
			long mark = session.exchanges().mark();
			long started = System.nanoTime();
			try {
				return operation.apply(session);
			}
			catch (RuntimeException ex) {
				List<Throwable> exchanges = session.exchanges().since(mark);
				// A session closed here before this operation began never sent it: open a new one.
				// One closed while it ran may have reached the server, so only the failure decides.
				// A 2026-07-28 request may have run: it is never replayed, so nothing is "lost".
				SdkExceptionTranslator.Kind kind = session.closedBefore(started) ? SdkExceptionTranslator.Kind.SESSION_LOST
						: session.isModern() ? this.translator.classifyModern(ex, exchanges)
								: this.translator.classify(ex, exchanges);
				if (kind == SdkExceptionTranslator.Kind.AUTHORIZATION) {
					this.pool.discard(session);
					throw authorizationFailure(owner, connectionId, session,
							SdkExceptionTranslator.denied(ex).orElseThrow());
				}
				if (attempt == 0 && kind == SdkExceptionTranslator.Kind.SESSION_LOST) {
					logger.debug("Session of connection {} was lost; opening a new one", connectionId);
					this.pool.discard(session);
					continue;
				}
				if (attempt == 0 && kind == SdkExceptionTranslator.Kind.STREAMABLE_REFUSED
						&& session.transport() == McpTransport.STREAMABLE_HTTP && !session.isStarted()
						&& this.legacySse.speaksLegacySse(this.connections.get(owner, connectionId).serverUrl(),
								session.tokens())) {
					logger.info("Connection {} reaches a server that speaks the HTTP+SSE transport of MCP 2024-11-05;"
							+ " using it from now on", connectionId);
					this.pool.discard(session);
					this.connections.updateTransport(owner, connectionId, McpTransport.SSE);
					continue;
				}
				if (!eraChecked && (kind == SdkExceptionTranslator.Kind.ERA_CHANGED
						|| (kind == SdkExceptionTranslator.Kind.STREAMABLE_REFUSED
								&& session.transport() == McpTransport.STREAMABLE_HTTP && !session.isStarted()))) {
					// The server speaks another revision than the one stored: forget it, probe again, once.
					logger.info("Connection {} refused a request of the revision it spoke; finding its revision again",
							connectionId);
					eraChecked = true;
					this.pool.discard(session);
					forgetRevision(owner, connectionId);
					if (session.isModern() && stillModern(owner, connectionId)) {
						// The refusal was the server's own answer (or another request's): it still
						// speaks 2026-07-28 and may have run this request, which is never replayed.
						throw this.translator.translate(connectionId, what, ex);
					}
					continue;
				}
				if (kind == SdkExceptionTranslator.Kind.UNAUTHORIZED && session.transport() == McpTransport.SSE) {
					// The SSE transport has no hook to refresh and replay: refresh, then a new session.
					this.pool.discard(session);
					if (attempt > 0 || !session.tokens().hasToken()) {
						throw authorizationRequired(owner, connectionId, session, 401, null);
					}
					session.tokens().refresh();
					continue;
				}
				throw this.translator.translate(connectionId, what, ex);
			}
		}
	}

	/**
	 * Whether the connection's next session speaks 2026-07-28 again: its revision is found now
	 * (the probe runs), so that a request the server may have run is only sent again when the
	 * server really speaks another revision, which would have refused it unrun.
	 */
	private boolean stillModern(McpOwner owner, UUID connectionId) {
		McpSession next = session(owner, connectionId);
		try {
			return next.peer().modern();
		}
		catch (RuntimeException probeFailed) {
			// The probe did not answer: nothing says the revision changed, so do not send it again.
			return true;
		}
	}

	/** Clear the stored revision (one retry: a refresh may be writing the row meanwhile). */
	private void forgetRevision(McpOwner owner, UUID connectionId) {
		try {
			this.connections.updateProtocolVersion(owner, connectionId, null);
		}
		catch (RuntimeException ex) {
			this.connections.updateProtocolVersion(owner, connectionId, null);
		}
	}

	private RuntimeException authorizationFailure(McpOwner owner, UUID connectionId, McpSession session,
			SdkExceptionTranslator.Denied denied) {
		if (session.tokens().failure() != null) {
			return session.tokens().failure();
		}
		int status = denied.status();
		BearerChallenge challenge = BearerChallenge.parse(denied.headers().allValues("WWW-Authenticate")).orElse(null);
		if (status == 403 && challenge != null && challenge.isInsufficientScope()) {
			return this.authorization.stepUpRequired(owner, connectionId, challenge);
		}
		return authorizationRequired(owner, connectionId, session, status, challenge);
	}

	private RuntimeException authorizationRequired(McpOwner owner, UUID connectionId, McpSession session, int status,
			BearerChallenge challenge) {
		ConnectionStatus next = session.tokens().hasToken() ? ConnectionStatus.REAUTHORIZATION_REQUIRED
				: ConnectionStatus.AUTHORIZATION_REQUIRED;
		this.connections.updateStatus(owner, connectionId, next);
		return new AuthorizationRequiredException(connectionId, null, false, challenge,
				"The server requires authorization (HTTP " + status + ")");
	}

}
