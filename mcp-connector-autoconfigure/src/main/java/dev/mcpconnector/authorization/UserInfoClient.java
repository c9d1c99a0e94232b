package dev.mcpconnector.authorization;

import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.RemoteAccount;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Completes a remote account from the OpenID Connect userinfo endpoint (Core 5.3) when the
 * verified ID token lacks its name or e-mail: one GET with the new access token through the
 * {@link EgressHttpClient}; the answer is used only when its {@code sub} is the ID token's
 * (Core 5.3.2). Never fails the authorization: without an answer the account stays as the ID
 * token has it. Logs never carry the token or the claims.
 */
final class UserInfoClient {

	private static final Logger logger = LoggerFactory.getLogger(UserInfoClient.class);

	private final EgressHttpClient http;

	UserInfoClient(EgressHttpClient http) {
		Assert.notNull(http, "http cannot be null");
		this.http = http;
	}

	/**
	 * The account, completed from the userinfo endpoint when it lacks a name or an e-mail and the
	 * server has one.
	 * @param account the account of the verified ID token
	 * @param server the authorization server
	 * @param accessToken the access token of the same response
	 * @return the account, completed where userinfo said more
	 */
	RemoteAccount complete(RemoteAccount account, AuthorizationServerMetadata server, String accessToken) {
		if (account == null || server.userinfoEndpoint() == null || accessToken == null
				|| (account.name() != null && account.email() != null)) {
			return account;
		}
		Map<String, Object> claims = fetch(server, accessToken);
		if (claims == null) {
			return account;
		}
		if (!account.subject().equals(claims.get("sub"))) {
			logger.info("Ignored the userinfo of {}: its subject is not the ID token's", server.issuer());
			return account;
		}
		return new RemoteAccount(account.subject(), firstOf(account.name(), claims.get("name")),
				firstOf(account.preferredUsername(), claims.get("preferred_username")),
				firstOf(account.email(), claims.get("email")));
	}

	private Map<String, Object> fetch(AuthorizationServerMetadata server, String accessToken) {
		EgressResponse response;
		try {
			response = this.http.get(server.userinfoEndpoint(),
					Map.of("Authorization", "Bearer " + accessToken, "Accept", "application/json"));
		}
		catch (McpConnectorException ex) {
			logger.info("Could not fetch the userinfo of {}: {}", server.issuer(), ex.errorCode());
			return null;
		}
		if (!response.isSuccess()) {
			logger.info("The userinfo endpoint of {} answered HTTP {}", server.issuer(), response.status());
			return null;
		}
		try {
			return JSONObjectUtils.parse(response.bodyAsString());
		}
		catch (java.text.ParseException ex) {
			// a signed or encrypted userinfo response (application/jwt) is not read
			logger.info("The userinfo of {} is not a JSON object", server.issuer());
			return null;
		}
	}

	private static String firstOf(String known, Object claim) {
		return (known != null) ? known : ((claim instanceof String text) ? text : null);
	}

}
