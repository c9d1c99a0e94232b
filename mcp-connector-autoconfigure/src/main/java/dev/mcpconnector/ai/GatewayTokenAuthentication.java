package dev.mcpconnector.ai;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A request the gateway accepted a gateway token for: its owner and limits. Never holds the
 * token's secret.
 */
final class GatewayTokenAuthentication extends AbstractAuthenticationToken {

	private final transient McpGatewayTokens.Token token;

	GatewayTokenAuthentication(McpGatewayTokens.Token token) {
		super(AuthorityUtils.NO_AUTHORITIES);
		this.token = token;
		setAuthenticated(true);
	}

	McpGatewayTokens.Token token() {
		return this.token;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return this.token.owner().principal();
	}

	@Override
	public String getName() {
		return this.token.owner().principal();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof GatewayTokenAuthentication that && this.token.id().equals(that.token.id());
	}

	@Override
	public int hashCode() {
		return this.token.id().hashCode();
	}

	@Override
	public String toString() {
		return "GatewayTokenAuthentication[owner=" + this.token.owner() + ", token=" + this.token.id() + "]";
	}

}
