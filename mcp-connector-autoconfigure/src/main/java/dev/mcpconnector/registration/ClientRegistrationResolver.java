package dev.mcpconnector.registration;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.discovery.AuthorizationServerMetadata;
import dev.mcpconnector.egress.EgressHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Finds the application's client identity at an authorization server, in the MCP spec's
 * priority: pre-registered credentials for that issuer, then a client ID metadata document
 * (when the server advertises support and the application serves one), then RFC 7591 dynamic
 * registration (stored per issuer, secret encrypted, reused, redone when rejected). Credentials
 * are keyed by issuer and never used with another.
 */
public class ClientRegistrationResolver {

	private static final Logger logger = LoggerFactory.getLogger(ClientRegistrationResolver.class);

	private final EgressHttpClient http;

	private final ClientRegistrationStore store;

	private final PreRegisteredClients preRegistered;

	private final URI clientMetadataDocumentUrl;

	/** The {@code application_type} values of OpenID Connect Dynamic Client Registration 1.0. */
	public static final Set<String> APPLICATION_TYPES = Set.of("native", "web");

	private final String clientName;

	private final Map<String, String> applicationTypes;

	private final Clock clock;

	/**
	 * @param http the guarded client
	 * @param store storage of dynamic registrations
	 * @param preRegistered pre-registered clients
	 * @param clientMetadataDocumentUrl the HTTPS URL of the application's client ID metadata
	 * document, or {@code null} when it serves none
	 * @param clientName the client name to register
	 * @param clock the clock
	 */
	public ClientRegistrationResolver(EgressHttpClient http, ClientRegistrationStore store,
			PreRegisteredClients preRegistered, URI clientMetadataDocumentUrl, String clientName, Clock clock) {
		this(http, store, preRegistered, clientMetadataDocumentUrl, clientName, Map.of(), clock);
	}

	/**
	 * @param http the guarded client
	 * @param store storage of dynamic registrations
	 * @param preRegistered pre-registered clients
	 * @param clientMetadataDocumentUrl the HTTPS URL of the application's client ID metadata
	 * document, or {@code null} when it serves none
	 * @param clientName the client name to register
	 * @param applicationTypes the {@code application_type} to register, by issuer, where it is
	 * not the one the redirect URI implies (one of {@link #APPLICATION_TYPES})
	 * @param clock the clock
	 */
	public ClientRegistrationResolver(EgressHttpClient http, ClientRegistrationStore store,
			PreRegisteredClients preRegistered, URI clientMetadataDocumentUrl, String clientName,
			Map<String, String> applicationTypes, Clock clock) {
		Assert.notNull(applicationTypes, "applicationTypes cannot be null");
		Assert.isTrue(APPLICATION_TYPES.containsAll(applicationTypes.values()),
				() -> "applicationTypes must be one of " + APPLICATION_TYPES);
		this.applicationTypes = Map.copyOf(applicationTypes);
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(store, "store cannot be null");
		Assert.notNull(preRegistered, "preRegistered cannot be null");
		Assert.hasText(clientName, "clientName cannot be empty");
		Assert.notNull(clock, "clock cannot be null");
		this.http = http;
		this.store = store;
		this.preRegistered = preRegistered;
		this.clientMetadataDocumentUrl = clientMetadataDocumentUrl;
		this.clientName = clientName;
		this.clock = clock;
	}

	/**
	 * The client to use with an authorization server.
	 * @param server the server's checked metadata
	 * @param redirectUri the redirect URI the client uses
	 * @return the client
	 * @throws McpConnectorException {@code client-registration-failed} when none can be had
	 */
	public RegisteredClient resolve(AuthorizationServerMetadata server, URI redirectUri) {
		return resolve(server, redirectUri, null);
	}

	/**
	 * The client to use with an authorization server for tokens for one resource. A
	 * pre-registered client is used only for the resources it allows; for any other the
	 * connection is refused (the application's first-party client is not handed to whatever
	 * server names its issuer).
	 * @param server the server's checked metadata
	 * @param redirectUri the redirect URI the client uses
	 * @param resource the canonical resource URI the tokens are for, or {@code null} not to check
	 * @return the client
	 * @throws McpConnectorException {@code client-registration-failed} when none can be had or
	 * the pre-registered one is not for this resource
	 */
	public RegisteredClient resolve(AuthorizationServerMetadata server, URI redirectUri, URI resource) {
		Optional<RegisteredClient> configured = this.preRegistered.find(server.issuer());
		if (configured.isPresent()) {
			RegisteredClient client = configured.get();
			checkResource(server, resource);
			if (!client.issuer().equals(server.issuer())) {
				throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"Pre-registered credentials for " + client.issuer()
						+ " cannot be used with " + server.issuer());
			}
			if (!server.tokenEndpointAuthMethods().isEmpty() && client.authMethod() != ClientAuthenticationMethod.NONE
					&& !server.tokenEndpointAuthMethods().contains(client.authMethod().value())) {
				throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"The pre-registered client for " + server.issuer() + " uses "
						+ client.authMethod().value() + ", which the authorization server does not support "
						+ server.tokenEndpointAuthMethods());
			}
			return client;
		}
		if (server.clientIdMetadataDocumentSupported() && this.clientMetadataDocumentUrl != null) {
			return metadataDocumentClient(server);
		}
		Optional<StoredClientRegistration> stored = this.store.find(server.issuer());
		if (stored.isPresent() && stored.get().source() == ClientRegistrationSource.DYNAMIC
				&& redirectUri.toString().equals(stored.get().redirectUri()) && !secretExpired(stored.get())) {
			return RegisteredClient.of(stored.get());
		}
		return register(server, redirectUri);
	}

	/**
	 * The client already in use with an authorization server (for refresh and revocation),
	 * without registering a new one.
	 * @param server the server
	 * @return the client, or empty when there is none
	 */
	public Optional<RegisteredClient> current(AuthorizationServerMetadata server) {
		return current(server, null);
	}

	/**
	 * The client already in use with an authorization server, for tokens for one resource.
	 * @param server the server
	 * @param resource the canonical resource URI, or {@code null} not to check
	 * @return the client, or empty when there is none
	 * @throws McpConnectorException {@code client-registration-failed} when the pre-registered
	 * client is not for this resource
	 */
	public Optional<RegisteredClient> current(AuthorizationServerMetadata server, URI resource) {
		Optional<RegisteredClient> configured = this.preRegistered.find(server.issuer());
		if (configured.isPresent()) {
			checkResource(server, resource);
			return configured;
		}
		if (server.clientIdMetadataDocumentSupported() && this.clientMetadataDocumentUrl != null) {
			return Optional.of(metadataDocumentClient(server));
		}
		return this.store.find(server.issuer()).map(RegisteredClient::of);
	}

	/**
	 * Forget a dynamic registration the authorization server rejected, so that the next
	 * authorization registers again. Other kinds of clients are left alone.
	 * @param client the rejected client
	 */
	public void forget(RegisteredClient client) {
		if (client.source() == ClientRegistrationSource.DYNAMIC) {
			this.store.delete(client.issuer());
			logger.info("Forgot the registration with {} after it was rejected", client.issuer());
		}
	}

	/**
	 * Forget a dynamic registration the server rejected and register again.
	 * @param server the server
	 * @param redirectUri the redirect URI
	 * @param rejected the client that was rejected
	 * @return a new client, or the same one when it was not dynamically registered
	 */
	public RegisteredClient reRegister(AuthorizationServerMetadata server, URI redirectUri, RegisteredClient rejected) {
		if (rejected.source() != ClientRegistrationSource.DYNAMIC) {
			throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"The authorization server " + server.issuer()
					+ " rejected the " + rejected.source().name().toLowerCase().replace('_', ' ') + " client");
		}
		this.store.delete(server.issuer());
		logger.info("Registering again with {} after it rejected the stored registration", server.issuer());
		return register(server, redirectUri);
	}

	private void checkResource(AuthorizationServerMetadata server, URI resource) {
		if (resource != null && !this.preRegistered.allowsResource(server.issuer(), resource)) {
			throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"The client pre-registered for " + server.issuer() + " is not for the resource " + resource
							+ "; if it should be, add it to mcp.connector.registration.clients.<name>.allowed-resources");
		}
	}

	private RegisteredClient metadataDocumentClient(AuthorizationServerMetadata server) {
		return RegisteredClient.publicClient(server.issuer(), this.clientMetadataDocumentUrl.toString(),
				ClientRegistrationSource.METADATA_DOCUMENT);
	}

	/** How to configure a client registered by hand with this server: the properties, by name. */
	private static String preRegistrationHint(AuthorizationServerMetadata server) {
		return " register a client there and configure it with mcp.connector.registration.clients.<name>.issuer="
				+ server.issuer() + " and .client-id (and .client-secret)";
	}

	private boolean secretExpired(StoredClientRegistration stored) {
		return stored.clientSecretExpiresAt() != null && !this.clock.instant().isBefore(stored.clientSecretExpiresAt());
	}

	private RegisteredClient register(AuthorizationServerMetadata server, URI redirectUri) {
		if (server.registrationEndpoint() == null) {
			throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"No client is configured for " + server.issuer()
					+ ", and it supports neither dynamic registration nor client ID metadata documents;"
					+ preRegistrationHint(server));
		}
		ClientAuthenticationMethod method = chooseAuthMethod(server.tokenEndpointAuthMethods());
		ClientMetadata metadata = new ClientMetadata();
		metadata.setRedirectionURI(redirectUri);
		metadata.setName(this.clientName);
		metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
		metadata.setResponseTypes(Set.of(ResponseType.CODE));
		metadata.setTokenEndpointAuthMethod(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.parse(method.value()));
		metadata.setCustomField("application_type", applicationType(server.issuer(), redirectUri));
		ClientRegistrationRequest request = new ClientRegistrationRequest(server.registrationEndpoint(), metadata,
				null);
		HTTPResponse response = this.http.exchange(request.toHTTPRequest());
		ClientRegistrationResponse parsed;
		try {
			parsed = ClientRegistrationResponse.parse(response);
		}
		catch (ParseException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"Authorization server " + server.issuer()
					+ " sent an invalid registration response (HTTP " + response.getStatusCode() + ");"
					+ preRegistrationHint(server));
		}
		if (!parsed.indicatesSuccess()) {
			var error = ((ClientRegistrationErrorResponse) parsed).getErrorObject();
			String code = (error != null) ? error.getCode() : null;
			boolean metadataRefused = "invalid_redirect_uri".equals(code) || "invalid_client_metadata".equals(code);
			throw new McpConnectorException(McpConnectorErrorCode.CLIENT_REGISTRATION_FAILED,
					"Authorization server " + server.issuer() + " rejected the registration"
					+ ((code != null) ? ": " + code : "") + " (HTTP " + response.getStatusCode() + ");"
					+ (metadataRefused ? " if it wants another application_type, set mcp.connector.registration.dynamic."
							+ "<name>.issuer=" + server.issuer() + " and .application-type; otherwise" : "")
					+ " if it does not allow open registration," + preRegistrationHint(server));
		}
		ClientInformation info = ((ClientInformationResponse) parsed).getClientInformation();
		String secret = (info.getSecret() != null) ? info.getSecret().getValue() : null;
		ClientAuthenticationMethod granted = grantedMethod(info, method, server);
		if (secret == null || secret.isEmpty()) {
			granted = ClientAuthenticationMethod.NONE;
			secret = null;
		}
		Instant expires = (info.getSecret() != null && info.getSecret().getExpirationDate() != null)
				? info.getSecret().getExpirationDate().toInstant() : null;
		StoredClientRegistration stored = new StoredClientRegistration(server.issuer(), info.getID().getValue(),
				(granted == ClientAuthenticationMethod.NONE) ? null : secret, granted, ClientRegistrationSource.DYNAMIC,
				redirectUri.toString(), expires, this.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
		this.store.save(stored);
		logger.info("Registered client with {} (auth method {})", server.issuer(), granted.value());
		return RegisteredClient.of(stored);
	}

	/**
	 * The {@code application_type} to register: the one configured for the issuer, else
	 * {@code native} for an http redirect to a loopback host (OpenID Connect Dynamic Client
	 * Registration 1.0 section 2: a web client must use https and no localhost), {@code web}
	 * otherwise.
	 */
	String applicationType(String issuer, URI redirectUri) {
		String configured = this.applicationTypes.get(issuer);
		if (configured != null) {
			return configured;
		}
		return applicationTypeFor(redirectUri);
	}

	/**
	 * The {@code application_type} a client with this redirect URI declares when nothing is
	 * configured, in a registration request or a client ID metadata document alike:
	 * {@code native} for an http redirect to a loopback host, {@code web} otherwise.
	 * @param redirectUri the redirect URI
	 * @return {@code native} or {@code web}
	 */
	public static String applicationTypeFor(URI redirectUri) {
		return ("http".equalsIgnoreCase(redirectUri.getScheme()) && isLoopback(redirectUri.getHost())) ? "native"
				: "web";
	}

	private static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return "localhost".equalsIgnoreCase(bare) || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1")
				|| bare.matches("127(\\.\\d{1,3}){3}");
	}

	static ClientAuthenticationMethod chooseAuthMethod(List<String> supported) {
		if (supported.isEmpty() || supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.value())) {
			return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
		}
		if (supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST.value())) {
			return ClientAuthenticationMethod.CLIENT_SECRET_POST;
		}
		return ClientAuthenticationMethod.NONE;
	}

	/**
	 * The method the server granted: the one asked for when the response names none; a method
	 * this client does not speak leaves it a public client, sending its {@code client_id} only.
	 */
	private static ClientAuthenticationMethod grantedMethod(ClientInformation info, ClientAuthenticationMethod asked,
			AuthorizationServerMetadata server) {
		if (info.getMetadata() == null || info.getMetadata().getTokenEndpointAuthMethod() == null) {
			return asked;
		}
		String granted = info.getMetadata().getTokenEndpointAuthMethod().getValue();
		try {
			return ClientAuthenticationMethod.of(granted);
		}
		catch (IllegalArgumentException ex) {
			logger.info("Authorization server {} registered the client for {}, which mcp-connector does not speak;"
					+ " it is used as a public client", server.issuer(), granted);
			return ClientAuthenticationMethod.NONE;
		}
	}

}
