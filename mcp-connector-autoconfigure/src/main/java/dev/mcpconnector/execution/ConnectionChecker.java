package dev.mcpconnector.execution;

import java.util.Optional;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;

/**
 * Checks a connection through a session: ping (2026-07-28: {@code server/discover}), tool count, and the status that follows
 * ({@code UNREACHABLE} when the server does not answer, {@code ACTIVE} again when it does).
 */
final class ConnectionChecker {

	private final McpConnectionService connections;

	private final SessionPool pool;

	private final SessionRunner runner;

	ConnectionChecker(McpConnectionService connections, SessionPool pool, SessionRunner runner) {
		this.connections = connections;
		this.pool = pool;
		this.runner = runner;
	}

	ConnectionCheck check(McpOwner owner, UUID connectionId) {
		McpConnection connection = this.connections.get(owner, connectionId);
		long start = System.nanoTime();
		try {
			int tools = this.runner.execute(owner, connectionId, "Checking the connection", (session) -> {
				session.peer().check();
				return session.allTools().size();
			});
			ConnectionStatus status = connection.status();
			if (status == ConnectionStatus.UNREACHABLE) {
				status = this.connections.updateStatus(owner, connectionId, ConnectionStatus.ACTIVE).status();
			}
			return new ConnectionCheck(connectionId, status, true, true, tools, millisSince(start), null);
		}
		catch (AuthorizationRequiredException ex) {
			return new ConnectionCheck(connectionId, this.connections.get(owner, connectionId).status(), true, false, -1,
					millisSince(start), ex.errorCode());
		}
		catch (McpExecutionException ex) {
			if (ex.isTimeout() || ex.error() == McpConnectorErrorCode.UPSTREAM_UNREACHABLE) {
				this.pool.close(new McpSession.Key(owner, connectionId));
				ConnectionStatus status = this.connections
					.updateStatus(owner, connectionId, ConnectionStatus.UNREACHABLE)
					.status();
				return new ConnectionCheck(connectionId, status, false, false, -1, millisSince(start), ex.errorCode());
			}
			return new ConnectionCheck(connectionId, connection.status(), true, true, -1, millisSince(start),
					ex.errorCode());
		}
	}

	Optional<ConnectionCheck> checkIdle(McpOwner owner, UUID connectionId) {
		McpSession.Key key = new McpSession.Key(owner, connectionId);
		if (this.pool.contains(key)) {
			return Optional.empty();
		}
		ConnectionCheck check = check(owner, connectionId);
		// Only the session this check opened, and only if no caller has used it since.
		this.pool.find(key).filter((opened) -> opened.uses() == 1).ifPresent(this.pool::discard);
		return Optional.of(check);
	}

	private static long millisSince(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

}
