package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.audit.AuditEvent;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Stores new credentials (encrypted, by the connection service's repository) and the
 * connection where the authorization changed it; records each renewal in the audit log. A
 * renewal whose connection changed meanwhile keeps the tokens: the display claims follow with
 * the next renewal.
 */
final class StoreCredentialsSuccessHandler implements AuthorizationSuccessHandler {

	private static final Logger logger = LoggerFactory.getLogger(StoreCredentialsSuccessHandler.class);

	private final McpConnectionService connections;

	private final AuthorizationAudit audit;

	StoreCredentialsSuccessHandler(McpConnectionService connections, AuthorizationAudit audit) {
		Assert.notNull(connections, "connections cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.connections = connections;
		this.audit = audit;
	}

	@Override
	public AuthorizedConnection onAuthorizationSuccess(AuthorizationContext context, AuthorizedConnection authorized) {
		McpConnection connection = context.connection();
		this.connections.saveCredentials(context.owner(), connection.id(), authorized.credentials());
		McpConnection stored = connection;
		if (!authorized.connection().equals(connection)) {
			try {
				stored = this.connections.update(authorized.connection());
			}
			catch (McpConnectorException ex) {
				if (ex.error() != McpConnectorErrorCode.CONNECTION_CONCURRENTLY_MODIFIED || !context.isRenewal()) {
					throw ex;
				}
				logger.debug("The display claims of connection {} change with its next refresh", connection.id());
			}
		}
		if (context.isRenewal()) {
			this.audit.record(context.owner(), AuditEvent.Type.REFRESH, connection.id(), "refreshed", null);
			logger.debug("Refreshed the token of connection {}", connection.id());
		}
		return new AuthorizedConnection(stored, authorized.credentials());
	}

}
