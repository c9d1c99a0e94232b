package dev.mcpconnector.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationResolver;
import dev.mcpconnector.registration.RegisteredClient;

import org.springframework.util.StringUtils;

/**
 * The application's client identity at authorization servers
 * ({@code mcp.connector.registration.*}).
 */
class RegistrationProperties {

	static final String PREFIX = McpConnectorProperties.PREFIX + ".registration";

	/** Client name sent in dynamic registrations and the client ID metadata document. */
	private String clientName = "mcp-connector";

	/**
	 * HTTPS URL at which this application serves its client ID metadata document (the path
	 * '{base-path}/oauth/client-metadata.json'); used as client id where supported.
	 */
	private URI clientMetadataDocumentUrl;

	/** Pre-registered clients, by a name of your choice. */
	private Map<String, PreRegistered> clients = new LinkedHashMap<>();

	/**
	 * Settings of dynamic registration (RFC 7591) with one authorization server, by a name of
	 * your choice.
	 */
	private Map<String, Dynamic> dynamic = new LinkedHashMap<>();

	public String getClientName() {
		return this.clientName;
	}

	public void setClientName(String clientName) {
		this.clientName = clientName;
	}

	public URI getClientMetadataDocumentUrl() {
		return this.clientMetadataDocumentUrl;
	}

	public void setClientMetadataDocumentUrl(URI clientMetadataDocumentUrl) {
		this.clientMetadataDocumentUrl = clientMetadataDocumentUrl;
	}

	public Map<String, PreRegistered> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, PreRegistered> clients) {
		this.clients = clients;
	}

	public Map<String, Dynamic> getDynamic() {
		return this.dynamic;
	}

	public void setDynamic(Map<String, Dynamic> dynamic) {
		this.dynamic = dynamic;
	}

	void validate() {
		PropertyChecks.hasText(PREFIX + ".client-name", this.clientName);
		URI url = this.clientMetadataDocumentUrl;
		if (url != null && (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null
				|| !StringUtils.hasLength(url.getRawPath()) || "/".equals(url.getRawPath()))) {
			throw new InvalidMcpConnectorPropertyException(PREFIX + ".client-metadata-document-url",
					"must be an https URL with a path, but was '" + url + "'");
		}
		Set<String> issuers = new LinkedHashSet<>();
		this.clients.forEach((name, client) -> {
			client.validate(PREFIX + ".clients." + name);
			if (!issuers.add(client.getIssuer())) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".clients." + name + ".issuer",
						"names an issuer that another pre-registered client already has: '" + client.getIssuer() + "'");
			}
		});
		Set<String> dynamicIssuers = new LinkedHashSet<>();
		this.dynamic.forEach((name, settings) -> {
			settings.validate(PREFIX + ".dynamic." + name);
			if (issuers.contains(settings.getIssuer())) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".dynamic." + name + ".issuer",
						"names an issuer with a pre-registered client, which is never registered dynamically: '"
								+ settings.getIssuer() + "'");
			}
			if (!dynamicIssuers.add(settings.getIssuer())) {
				throw new InvalidMcpConnectorPropertyException(PREFIX + ".dynamic." + name + ".issuer",
						"names an issuer that other dynamic registration settings already have: '"
								+ settings.getIssuer() + "'");
			}
		});
	}

	/** How the application registers itself dynamically with one authorization server. */
	public static class Dynamic {

		/** Exact issuer identifier of the authorization server these settings are for. */
		private String issuer;

		/**
		 * The 'application_type' to register: 'native' or 'web'. Unset: 'native' for a loopback
		 * http redirect URI, 'web' otherwise.
		 */
		private String applicationType;

		public String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(String issuer) {
			this.issuer = issuer;
		}

		public String getApplicationType() {
			return this.applicationType;
		}

		public void setApplicationType(String applicationType) {
			this.applicationType = applicationType;
		}

		void validate(String prefix) {
			PropertyChecks.hasText(prefix + ".issuer", this.issuer);
			if (this.applicationType != null && !ClientRegistrationResolver.APPLICATION_TYPES.contains(this.applicationType)) {
				throw new InvalidMcpConnectorPropertyException(prefix + ".application-type",
						"must be one of " + ClientRegistrationResolver.APPLICATION_TYPES + ", but was '"
								+ this.applicationType + "'");
			}
		}

	}

	/** A client registered by hand with one authorization server. */
	public static class PreRegistered {

		/** Exact issuer identifier of the authorization server these credentials belong to. */
		private String issuer;

		/** Client id. */
		private String clientId;

		/** Client secret, for client_secret_basic or client_secret_post. */
		private String clientSecret;

		/**
		 * Token endpoint authentication method: none, client_secret_basic, client_secret_post or
		 * private_key_jwt. Defaults to private_key_jwt with a private key, client_secret_basic
		 * with a secret, none otherwise.
		 */
		private ClientAuthenticationMethod authenticationMethod;

		/** PKCS#8 PEM private key (EC or RSA) for private_key_jwt. */
		private String privateKey;

		/** Key id to put in the client assertion's header, for private_key_jwt. */
		private String keyId;

		/** JWS algorithm of the client assertion (ES256, RS256, ...); from the key type when unset. */
		private String signingAlgorithm;

		/**
		 * The resources (canonical MCP server URLs) this client may obtain tokens for, as globs:
		 * '*' for any characters but '/', '?', '#' and '@', '**' for any characters but '?' and
		 * '#'; for example 'https://mcp.corp.example/**'. Any other server that names this
		 * issuer is refused. Empty: every resource, with a warning at start-up.
		 */
		private List<String> allowedResources = new ArrayList<>();

		public List<String> getAllowedResources() {
			return this.allowedResources;
		}

		public void setAllowedResources(List<String> allowedResources) {
			this.allowedResources = allowedResources;
		}

		public String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(String privateKey) {
			this.privateKey = privateKey;
		}

		public String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(String keyId) {
			this.keyId = keyId;
		}

		public String getSigningAlgorithm() {
			return this.signingAlgorithm;
		}

		public void setSigningAlgorithm(String signingAlgorithm) {
			this.signingAlgorithm = signingAlgorithm;
		}

		public String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(String issuer) {
			this.issuer = issuer;
		}

		public String getClientId() {
			return this.clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public ClientAuthenticationMethod getAuthenticationMethod() {
			return this.authenticationMethod;
		}

		public void setAuthenticationMethod(ClientAuthenticationMethod authenticationMethod) {
			this.authenticationMethod = authenticationMethod;
		}

		/**
		 * The configured method, or the default for the credentials given: private_key_jwt
		 * with a private key, client_secret_basic with a secret, none otherwise.
		 * @return the method to use
		 */
		public ClientAuthenticationMethod effectiveAuthenticationMethod() {
			if (this.authenticationMethod != null) {
				return this.authenticationMethod;
			}
			if (this.privateKey != null) {
				return ClientAuthenticationMethod.PRIVATE_KEY_JWT;
			}
			return (this.clientSecret != null) ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
					: ClientAuthenticationMethod.NONE;
		}

		void validate(String prefix) {
			if (!StringUtils.hasText(this.issuer) || !StringUtils.hasText(this.clientId)) {
				throw new InvalidMcpConnectorPropertyException(prefix, "needs both an issuer and a client-id");
			}
			if (this.privateKey != null) {
				try {
					RegisteredClient.privateKeyFromPem(this.privateKey);
				}
				catch (IllegalArgumentException ex) {
					// the reader's messages describe the format only, never the key
					throw new InvalidMcpConnectorPropertyException(prefix + ".private-key",
							"must be a PKCS#8 PEM EC or RSA private key: " + ex.getMessage());
				}
			}
			ClientAuthenticationMethod method = effectiveAuthenticationMethod();
			if (method.usesSecret() && !StringUtils.hasText(this.clientSecret)) {
				throw new InvalidMcpConnectorPropertyException(prefix + ".client-secret",
						"is required for " + method.value());
			}
			if (method == ClientAuthenticationMethod.PRIVATE_KEY_JWT && this.privateKey == null) {
				throw new InvalidMcpConnectorPropertyException(prefix + ".private-key", "is required for private_key_jwt");
			}
			for (String resource : this.allowedResources) {
				if (!StringUtils.hasText(resource) || !resource.contains("://")) {
					throw new InvalidMcpConnectorPropertyException(prefix + ".allowed-resources",
							"must be URL globs such as 'https://mcp.example.com/**', but had '" + resource + "'");
				}
			}
		}

		@Override
		public String toString() {
			return "PreRegistered[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret="
					+ ((this.clientSecret != null) ? "[REDACTED]" : "none") + ", privateKey="
					+ ((this.privateKey != null) ? "[REDACTED]" : "none") + "]";
		}

	}

}
