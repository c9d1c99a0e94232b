package dev.mcpconnector.authorization;

import java.util.Optional;

import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Revokes a connection's tokens at its authorization server (RFC 7009), the refresh token
 * first, when that server has a revocation endpoint. Never fails: deleting a connection must
 * not depend on the authorization server.
 */
final class TokenRevoker {

	private static final Logger logger = LoggerFactory.getLogger(TokenRevoker.class);

	private final AuthorizationServers servers;

	private final ClientRegistrationResolver registrations;

	private final TokenEndpointClient tokens;

	TokenRevoker(AuthorizationServers servers, ClientRegistrationResolver registrations, TokenEndpointClient tokens) {
		Assert.notNull(servers, "servers cannot be null");
		Assert.notNull(registrations, "registrations cannot be null");
		Assert.notNull(tokens, "tokens cannot be null");
		this.servers = servers;
		this.registrations = registrations;
		this.tokens = tokens;
	}

	/**
	 * Revoke what a connection holds.
	 * @param connection the connection
	 * @param credentials its credentials
	 * @return how many tokens the server confirmed revoked
	 */
	int revoke(McpConnection connection, ConnectionCredentials credentials) {
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(credentials, "credentials cannot be null");
		if (connection.issuer() == null) {
			return 0;
		}
		try {
			AuthorizationServerMetadata server = this.servers.metadataFor(connection, connection.issuer());
			Optional<RegisteredClient> client = this.registrations.current(server);
			if (client.isEmpty() || server.revocationEndpoint() == null) {
				return 0;
			}
			if (!credentials.isIssuedTo(client.get().clientId())) {
				logger.info("Not revoking the tokens of connection {}: they were issued to another client than the one"
						+ " now in use with {}", connection.id(), server.issuer());
				return 0;
			}
			return revoke(this.tokens, client.get(), server, credentials.accessToken(),
					credentials.hasRefreshToken() ? credentials.refreshToken() : null);
		}
		catch (McpConnectorException ex) {
			logger.info("Could not revoke the tokens of connection {}: {}", connection.id(), ex.getMessage());
			return 0;
		}
	}

	/**
	 * Revoke one grant's tokens, the refresh token first: also a grant that was never stored
	 * (redeemed or refreshed, then refused). Never fails.
	 * @param tokens the token endpoint client
	 * @param client the client the tokens were issued to
	 * @param server the authorization server that issued them
	 * @param accessToken the access token
	 * @param refreshToken the refresh token, or {@code null}
	 * @return how many tokens the server confirmed revoked
	 */
	static int revoke(TokenEndpointClient tokens, RegisteredClient client, AuthorizationServerMetadata server,
			String accessToken, String refreshToken) {
		if (server.revocationEndpoint() == null) {
			return 0;
		}
		int revoked = 0;
		if (refreshToken != null && tokens.revoke(client, server, new RefreshToken(refreshToken))) {
			revoked++;
		}
		if (accessToken != null && tokens.revoke(client, server, new TypelessAccessToken(accessToken))) {
			revoked++;
		}
		return revoked;
	}

}
