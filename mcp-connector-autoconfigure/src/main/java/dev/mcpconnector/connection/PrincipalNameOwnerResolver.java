package dev.mcpconnector.connection;

import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;

/**
 * The default {@link OwnerResolver}: the authentication's name, in one fixed tenant
 * ({@link McpOwner#NO_TENANT} unless configured).
 */
final class PrincipalNameOwnerResolver implements OwnerResolver {

	private final String tenantId;

	PrincipalNameOwnerResolver() {
		this(McpOwner.NO_TENANT);
	}

	PrincipalNameOwnerResolver(String tenantId) {
		this.tenantId = (tenantId != null) ? tenantId : McpOwner.NO_TENANT;
	}

	@Override
	public McpOwner resolve(Authentication authentication) {
		Assert.notNull(authentication, "authentication cannot be null");
		return McpOwner.of(this.tenantId, authentication.getName());
	}

}
