package dev.mcpconnector.connection;

import org.springframework.util.Assert;

/**
 * Who a connection belongs to: a principal name within a tenant. Single-tenant applications
 * use {@link #NO_TENANT}. Every repository and service method takes an owner; no query runs
 * without one.
 *
 * @param tenantId the tenant, {@link #NO_TENANT} (empty) when the application has none
 * @param principal the principal name, never empty
 */
public record McpOwner(String tenantId, String principal) {

	/** The tenant id of applications without tenants. */
	public static final String NO_TENANT = "";

	/** Longest tenant id or principal name that is stored. */
	public static final int MAX_LENGTH = 255;

	public McpOwner {
		Assert.hasText(principal, "principal cannot be empty");
		tenantId = (tenantId != null) ? tenantId : NO_TENANT;
		Assert.isTrue(principal.length() <= MAX_LENGTH, "principal is longer than " + MAX_LENGTH);
		Assert.isTrue(tenantId.length() <= MAX_LENGTH, "tenantId is longer than " + MAX_LENGTH);
	}

	/**
	 * An owner without a tenant.
	 * @param principal the principal name
	 * @return the owner
	 */
	public static McpOwner of(String principal) {
		return new McpOwner(NO_TENANT, principal);
	}

	/**
	 * An owner within a tenant.
	 * @param tenantId the tenant id
	 * @param principal the principal name
	 * @return the owner
	 */
	public static McpOwner of(String tenantId, String principal) {
		return new McpOwner(tenantId, principal);
	}

	public boolean hasTenant() {
		return !this.tenantId.isEmpty();
	}

}
