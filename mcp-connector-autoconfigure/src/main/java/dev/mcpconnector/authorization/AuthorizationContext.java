package dev.mcpconnector.authorization;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.Assert;

/**
 * What an {@link AuthorizedConnectionProvider} works from: the owner, the connection, the
 * credentials it holds (none for a first authorization), the authorization server and client
 * (looked up only when a provider asks), the resource and scopes to ask for, and attributes
 * a provider reads to tell whether the job is its own.
 */
final class AuthorizationContext {

	private final McpOwner owner;

	private final McpConnection connection;

	private final ConnectionCredentials credentials;

	private final boolean renewalRequested;

	private final URI resource;

	private final Set<String> scopes;

	private final Map<String, Object> attributes;

	private final Supplier<AuthorizationServerMetadata> server;

	private final Supplier<Optional<RegisteredClient>> client;

	private AuthorizationContext(McpOwner owner, McpConnection connection, ConnectionCredentials credentials,
			boolean renewalRequested, URI resource, Set<String> scopes, Map<String, Object> attributes,
			Supplier<AuthorizationServerMetadata> server,
			Function<AuthorizationServerMetadata, Optional<RegisteredClient>> client) {
		Assert.notNull(owner, "owner cannot be null");
		Assert.notNull(connection, "connection cannot be null");
		Assert.notNull(resource, "resource cannot be null");
		this.owner = owner;
		this.connection = connection;
		this.credentials = credentials;
		this.renewalRequested = renewalRequested;
		this.resource = resource;
		this.scopes = Set.copyOf(scopes);
		this.attributes = Map.copyOf(attributes);
		this.server = memoize(server);
		this.client = memoize(() -> client.apply(this.server.get()));
	}

	/**
	 * Renewing the credentials of an authorized connection. The authorization server and
	 * client are looked up on first use.
	 * @param refused whether the server refused the access token (so it needs renewing even if
	 * it has not expired)
	 */
	static AuthorizationContext renewal(McpOwner owner, McpConnection connection, ConnectionCredentials credentials,
			boolean refused, Supplier<AuthorizationServerMetadata> server,
			Function<AuthorizationServerMetadata, Optional<RegisteredClient>> client) {
		Assert.notNull(credentials, "credentials cannot be null");
		return new AuthorizationContext(owner, connection, credentials, refused, connection.resourceUri(),
				credentials.scopes(), Map.of(), server, client);
	}

	/**
	 * A first authorization without a browser, with the grant a provider recognizes by its
	 * attribute.
	 */
	static AuthorizationContext firstAuthorization(McpOwner owner, McpConnection connection,
			AuthorizationServerMetadata server, RegisteredClient client, URI resource, Set<String> scopes,
			Map<String, Object> attributes) {
		Assert.notNull(server, "server cannot be null");
		Assert.notNull(client, "client cannot be null");
		return new AuthorizationContext(owner, connection, null, false, resource, scopes, attributes, () -> server,
				(s) -> Optional.of(client));
	}

	McpOwner owner() {
		return this.owner;
	}

	McpConnection connection() {
		return this.connection;
	}

	/**
	 * The credentials held.
	 * @return them, or {@code null} for a first authorization
	 */
	ConnectionCredentials credentials() {
		return this.credentials;
	}

	/** Whether this renews the credentials of a connection authorized before. */
	boolean isRenewal() {
		return this.credentials != null;
	}

	/** Whether the server refused the held access token, so it needs renewing even before it expires. */
	boolean isRenewalRequested() {
		return this.renewalRequested;
	}

	URI resource() {
		return this.resource;
	}

	Set<String> scopes() {
		return this.scopes;
	}

	@SuppressWarnings("unchecked")
	<T> T attribute(String name) {
		return (T) this.attributes.get(name);
	}

	AuthorizationServerMetadata server() {
		return this.server.get();
	}

	/**
	 * The client in use with the authorization server.
	 * @return the client, or empty when its registration is gone
	 */
	Optional<RegisteredClient> client() {
		return this.client.get();
	}

	private static <T> Supplier<T> memoize(Supplier<T> supplier) {
		Assert.notNull(supplier, "supplier cannot be null");
		return new Supplier<>() {

			private T value;

			@Override
			public synchronized T get() {
				if (this.value == null) {
					this.value = supplier.get();
				}
				return this.value;
			}

		};
	}

	@Override
	public String toString() {
		return "AuthorizationContext[owner=" + this.owner + ", connection=" + this.connection.id() + ", renewal="
				+ isRenewal() + ", attributes=" + this.attributes.keySet() + "]";
	}

}
