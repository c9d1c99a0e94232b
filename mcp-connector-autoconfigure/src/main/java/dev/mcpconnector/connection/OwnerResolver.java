package dev.mcpconnector.connection;

import org.springframework.security.core.Authentication;

/**
 * Turns the current {@link Authentication} into the {@link McpOwner} whose connections a
 * request may see. Replace the bean to take the tenant from a claim, a header-derived
 * authority, or the application's own user model.
 */
@FunctionalInterface
public interface OwnerResolver {

	/**
	 * Resolve the owner of an authenticated request.
	 * @param authentication an authenticated principal, never {@code null}
	 * @return the owner
	 */
	McpOwner resolve(Authentication authentication);

	/**
	 * The default resolver: the authentication's name, in one fixed tenant.
	 * @param tenantId the tenant of every owner, or {@code null} for {@link McpOwner#NO_TENANT}
	 * @return the resolver
	 */
	static OwnerResolver principalName(String tenantId) {
		return new PrincipalNameOwnerResolver(tenantId);
	}

}
