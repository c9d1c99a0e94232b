package dev.mcpconnector.connection;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.springframework.util.Assert;

/**
 * One user's link to one remote MCP server. Holds no secret: tokens live in
 * {@link ConnectionCredentials}, read separately and only when needed.
 *
 * @param id the connection id
 * @param owner who the connection belongs to
 * @param name a display name
 * @param serverUrl the MCP endpoint URL as the user gave it
 * @param resourceUri the canonical resource URI (RFC 8707) of the server
 * @param status the current status
 * @param issuer the authorization server issuer whose tokens the server accepts, or
 * {@code null} when the server needs no authorization or none was found yet
 * @param grantedScopes the scopes granted by the last authorization
 * @param requestedScopes the scopes to request at the next authorization (the user's choice,
 * plus any a server demanded through step-up)
 * @param requestTimeout how long one MCP request to this server may take, or {@code null} for
 * the application's default
 * @param limits per-connection connect timeout and response size cap, never {@code null}
 * @param transport the transport the server speaks, never {@code null}
 * @param protocolVersion the MCP revision the server speaks (such as {@code 2026-07-28} or
 * {@code 2025-11-25}), or {@code null} when it is not known yet
 * @param remoteAccount the remote account the connection is signed in as, from a validated OpenID
 * Connect ID token, or {@code null} when the authorization server is not an OpenID provider or
 * issued no ID token
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version the optimistic-locking version
 */
public record McpConnection(UUID id, McpOwner owner, String name, URI serverUrl, URI resourceUri,
		ConnectionStatus status, String issuer, Set<String> grantedScopes, Set<String> requestedScopes,
		java.time.Duration requestTimeout, ConnectionLimits limits, McpTransport transport, String protocolVersion,
		RemoteAccount remoteAccount, Instant createdAt, Instant updatedAt, long version) {

	public McpConnection {
		Assert.notNull(id, "id cannot be null");
		Assert.notNull(owner, "owner cannot be null");
		Assert.hasText(name, "name cannot be empty");
		Assert.notNull(serverUrl, "serverUrl cannot be null");
		Assert.notNull(resourceUri, "resourceUri cannot be null");
		Assert.notNull(status, "status cannot be null");
		Assert.notNull(createdAt, "createdAt cannot be null");
		Assert.notNull(updatedAt, "updatedAt cannot be null");
		grantedScopes = (grantedScopes != null) ? Set.copyOf(grantedScopes) : Set.of();
		requestedScopes = (requestedScopes != null) ? Set.copyOf(requestedScopes) : Set.of();
		limits = (limits != null) ? limits : ConnectionLimits.DEFAULTS;
		transport = (transport != null) ? transport : McpTransport.STREAMABLE_HTTP;
		Assert.isTrue(protocolVersion == null || isRevision(protocolVersion),
				"protocolVersion must be a revision such as 2025-11-25");
	}

	/** At most 20 printable ASCII characters without spaces, as the column holds them. */
	private static boolean isRevision(String version) {
		return !version.isEmpty() && version.length() <= 20 && version.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
	}

	/**
	 * A copy with another status.
	 * @param newStatus the status
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withStatus(ConnectionStatus newStatus, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, this.resourceUri, newStatus,
				this.issuer, this.grantedScopes, this.requestedScopes, this.requestTimeout, this.limits, this.transport,
				this.protocolVersion, this.remoteAccount, this.createdAt, now, this.version);
	}

	/**
	 * A copy with another issuer and granted scopes.
	 * @param newIssuer the authorization server issuer
	 * @param scopes the granted scopes
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withAuthorization(String newIssuer, Set<String> scopes, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, this.resourceUri, this.status,
				newIssuer, scopes, this.requestedScopes, this.requestTimeout, this.limits, this.transport,
				this.protocolVersion, this.remoteAccount, this.createdAt, now, this.version);
	}

	/**
	 * A copy with another resource identifier, issuer and scopes to request.
	 * @param newResource the RFC 8707 resource the authorization server knows the server by
	 * @param newIssuer the authorization server issuer
	 * @param scopes the scopes to request next
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withAuthorizationTarget(URI newResource, String newIssuer, Set<String> scopes, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, newResource, this.status, newIssuer,
				this.grantedScopes, scopes, this.requestTimeout, this.limits, this.transport, this.protocolVersion,
				this.remoteAccount, this.createdAt, now, this.version);
	}

	/**
	 * A copy that uses another transport.
	 * @param newTransport the transport
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withTransport(McpTransport newTransport, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, this.resourceUri, this.status,
				this.issuer, this.grantedScopes, this.requestedScopes, this.requestTimeout, this.limits, newTransport,
				this.protocolVersion, this.remoteAccount, this.createdAt, now, this.version);
	}

	/**
	 * A copy whose server speaks another MCP revision.
	 * @param newProtocolVersion the revision, or {@code null} when it must be found again
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withProtocolVersion(String newProtocolVersion, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, this.resourceUri, this.status,
				this.issuer, this.grantedScopes, this.requestedScopes, this.requestTimeout, this.limits, this.transport,
				newProtocolVersion, this.remoteAccount, this.createdAt, now, this.version);
	}

	/**
	 * A copy signed in as another remote account.
	 * @param account the account, or {@code null} when unknown
	 * @param now the time of the change
	 * @return the changed copy
	 */
	public McpConnection withRemoteAccount(RemoteAccount account, Instant now) {
		return new McpConnection(this.id, this.owner, this.name, this.serverUrl, this.resourceUri, this.status,
				this.issuer, this.grantedScopes, this.requestedScopes, this.requestTimeout, this.limits, this.transport,
				this.protocolVersion, account, this.createdAt, now, this.version);
	}

	/**
	 * The canonical resource URI (RFC 8707) of a server URL, as {@link #resourceUri()} holds
	 * it: lower-case scheme and host, no default port, no fragment, no user info and no
	 * trailing slash.
	 * @param serverUrl an absolute http(s) URL
	 * @return the canonical URI
	 */
	public static URI resourceUriOf(URI serverUrl) {
		return CanonicalResourceUri.of(serverUrl);
	}

	/**
	 * The canonical resource URI of a URL given as text, checked as a server URL first.
	 * @param serverUrl the URL
	 * @return the canonical URI
	 * @throws dev.mcpconnector.McpConnectorException {@code invalid-connection-request} when it
	 * is not an absolute http(s) URL with a host, carries user info, or is too long
	 */
	public static URI resourceUriOf(String serverUrl) {
		return CanonicalResourceUri.of(CanonicalResourceUri.parseServerUrl(serverUrl));
	}

}
