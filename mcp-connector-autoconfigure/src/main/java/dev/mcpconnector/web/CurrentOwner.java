package dev.mcpconnector.web;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.OwnerResolver;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;

/** Resolves the owner of a web request from its authentication; refuses anonymous requests. */
final class CurrentOwner {

	private final OwnerResolver ownerResolver;

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	CurrentOwner(OwnerResolver ownerResolver) {
		Assert.notNull(ownerResolver, "ownerResolver cannot be null");
		this.ownerResolver = ownerResolver;
	}

	McpOwner of(Authentication authentication) {
		if (!this.trustResolver.isAuthenticated(authentication)) {
			throw new UnauthenticatedException();
		}
		McpOwner owner = this.ownerResolver.resolve(authentication);
		if (owner == null) {
			throw new UnauthenticatedException();
		}
		return owner;
	}

}
