package dev.mcpconnector.web;

import java.net.URI;

import org.springframework.util.Assert;

/**
 * What the web layer takes from the application's configuration ({@code mcp.connector.web.*},
 * the redirect URI and return path, the client metadata document, the authorities of approvers
 * and auditors). The auto-configuration builds it from the properties, so nothing here reads
 * them itself.
 *
 * @param basePath where the REST API is served, such as {@code /api/mcp}
 * @param redirectUri the OAuth redirect URI, or {@code null} for {@code http://localhost} at the
 * port each request arrived on (never from its {@code Host})
 * @param defaultReturnTo the path a browser returns to after the callback
 * @param clientMetadataDocumentUrl the URL of the client ID metadata document served, or
 * {@code null} when none is
 * @param clientName the client name in that document
 * @param approverAuthority the authority that may decide approvals
 * @param adminAuthority the tenant administrator's authority: may read the audit trail and
 * usage of every user of its own tenant ({@code scope=tenant}), or {@code null} for the default
 * @param globalAdminAuthority the global administrator's authority: may read every tenant's
 * ({@code scope=all}, and {@code scope=tenant}), or {@code null} for the default
 */
public record McpConnectorWebSettings(String basePath, URI redirectUri, String defaultReturnTo,
		URI clientMetadataDocumentUrl, String clientName, String approverAuthority, String adminAuthority,
		String globalAdminAuthority) {

	public McpConnectorWebSettings {
		Assert.hasText(basePath, "basePath cannot be empty");
	}

	/** Settings whose global administrator authority is the default one. */
	public McpConnectorWebSettings(String basePath, URI redirectUri, String defaultReturnTo,
			URI clientMetadataDocumentUrl, String clientName, String approverAuthority, String adminAuthority) {
		this(basePath, redirectUri, defaultReturnTo, clientMetadataDocumentUrl, clientName, approverAuthority,
				adminAuthority, null);
	}

}
