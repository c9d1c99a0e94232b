package dev.mcpconnector.authorization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The providers of the compatibility suite: their published discovery documents (trimmed to the
 * members the connector reads, values as published, hosts and ids replaced by examples) and
 * documented behaviours, registered on a {@link ProviderShapeStub}, and the per-issuer settings
 * their documentation implies. Sources:
 * <ul>
 * <li>Entra ID: learn.microsoft.com v2.0 OpenID configuration (issuer
 * {@code https://login.microsoftonline.com/<tenant>/v2.0}; no {@code code_challenge_methods_supported}
 * although S256 is documented in v2-oauth2-auth-code-flow; no registration endpoint).</li>
 * <li>Okta: developer.okta.com, org ({@code https://<org>.okta.com}) and custom
 * ({@code /oauth2/default}) authorization servers; the registration endpoint
 * {@code /oauth2/v1/clients} wants an API token or an {@code okta.clients.register} access token.</li>
 * <li>Auth0: issuer with a trailing slash; {@code /oidc/register} once dynamic registration is
 * enabled on the tenant.</li>
 * <li>Keycloak: realm issuer {@code /realms/<realm>}; anonymous registration at
 * {@code /clients-registrations/openid-connect}, refused by the default Trusted Hosts policy ("by
 * default, there are no whitelisted hosts, so anonymous client registration is de facto
 * disabled": Securing Applications and Services Guide, client registration policies).</li>
 * <li>Google: {@code https://accounts.google.com/.well-known/openid-configuration} (endpoints on
 * other hosts, no RFC 8414 document, no registration).</li>
 * <li>GitHub: the GitHub MCP server's resource metadata names {@code https://github.com/login/oauth},
 * whose RFC 8414 document is at {@code https://github.com/.well-known/oauth-authorization-server/login/oauth}
 * (github/github-mcp-server issues 921, 2901); OAuth apps are registered by hand; no PKCE member.</li>
 * <li>AWS Cognito: {@code https://cognito-idp.<region>.amazonaws.com/<pool>} OpenID configuration,
 * endpoints on the user pool domain, no {@code code_challenge_methods_supported}.</li>
 * <li>Better Auth: {@code @better-auth/oauth-provider}, issuer {@code <base>/api/auth}, EdDSA ID
 * tokens by default, dynamic registration (the real one runs in {@code BetterAuthTests}).</li>
 * <li>Spring Authorization Server: RFC 8414 at the root; client registration is off by default.</li>
 * <li>Notion and Linear hosted MCP servers: developers.notion.com/guides/mcp/build-mcp-client and
 * linear.app/docs/mcp (RFC 9728 + RFC 8414 on the server's own origin, dynamic registration).</li>
 * </ul>
 */
final class ProviderShapes {

	/** A setting that fixes a failure: what the Problem detail must name, and the properties. */
	record Fix(String named, Map<String, String> properties) {

	}

	record Provider(String name, String serverUrl, List<Fix> fixes) {

	}

	private ProviderShapes() {
	}

	static List<Provider> all(ProviderShapeStub stub) {
		return List.of(entra(stub), oktaOrg(stub), oktaCustom(stub), auth0(stub), keycloak(stub), google(stub),
				github(stub), cognito(stub), betterAuth(stub), springAuthorizationServer(stub),
				hosted(stub, "Notion (hosted MCP)", "https://mcp.notion.com"),
				hosted(stub, "Linear (hosted MCP)", "https://mcp.linear.app"));
	}

	static final String PKCE = "mcp.connector.authorization.issuers-without-pkce-metadata";

	static final String CLIENTS = "mcp.connector.registration.clients";

	static Fix pkce(ProviderShapeStub stub, String issuer) {
		return new Fix(PKCE, Map.of(PKCE, stub.local(issuer)));
	}

	static Fix preRegistered(ProviderShapeStub stub, String name, String issuer) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(CLIENTS + "." + name + ".issuer", stub.local(issuer));
		properties.put(CLIENTS + "." + name + ".client-id", name + "-app");
		properties.put(CLIENTS + "." + name + ".client-secret", name + "-secret");
		return new Fix(CLIENTS, properties);
	}

	/** Our own MCP server at {@code https://mcp.example.com/<id>/mcp}, protected by the issuer. */
	static String mcpServer(ProviderShapeStub stub, String id, String issuer) {
		String url = "https://mcp.example.com/" + id + "/mcp";
		String metadata = "https://mcp.example.com/.well-known/oauth-protected-resource/" + id + "/mcp";
		stub.document(metadata, "{\"resource\":\"" + url + "\",\"authorization_servers\":[\"" + issuer + "\"]}");
		stub.mcpServer(url, metadata);
		return url;
	}

	static Provider entra(ProviderShapeStub stub) {
		String tenant = "https://login.microsoftonline.com/5f2c8a3e-0c1d-4b7a-9e61-3d2f4a6b8c90";
		String issuer = tenant + "/v2.0";
		stub.document(issuer + "/.well-known/openid-configuration", """
				{"token_endpoint":"%1$s/oauth2/v2.0/token",
				"token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],
				"jwks_uri":"%1$s/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"],
				"subject_types_supported":["pairwise"],"id_token_signing_alg_values_supported":["RS256"],
				"response_types_supported":["code","id_token","code id_token","id_token token"],
				"scopes_supported":["openid","profile","email","offline_access"],"issuer":"%2$s",
				"request_uri_parameter_supported":false,"userinfo_endpoint":"https://graph.microsoft.com/oidc/userinfo",
				"authorization_endpoint":"%1$s/oauth2/v2.0/authorize"}""".formatted(tenant, issuer));
		stub.authorizationEndpoint(tenant + "/oauth2/v2.0/authorize", null);
		stub.tokenEndpoint(tenant + "/oauth2/v2.0/token", issuer, "RS256", true);
		stub.jwks(tenant + "/discovery/v2.0/keys");
		return new Provider("Microsoft Entra ID (v2.0)", mcpServer(stub, "entra", issuer),
				List.of(pkce(stub, issuer), preRegistered(stub, "entra", issuer)));
	}

	static String okta(ProviderShapeStub stub, String issuer, String endpoints) {
		String json = """
				{"issuer":"%1$s","authorization_endpoint":"%2$s/v1/authorize","token_endpoint":"%2$s/v1/token",
				"userinfo_endpoint":"%2$s/v1/userinfo","registration_endpoint":"https://example.okta.com/oauth2/v1/clients",
				"jwks_uri":"%2$s/v1/keys","response_types_supported":["code","id_token","code id_token"],
				"scopes_supported":["openid","email","profile","address","phone","offline_access"],
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","client_secret_jwt","private_key_jwt","none"],
				"id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],
				"revocation_endpoint":"%2$s/v1/revoke"}""".formatted(issuer, endpoints);
		stub.document(issuer + "/.well-known/openid-configuration", json);
		stub.document(issuer + "/.well-known/oauth-authorization-server", json);
		stub.authorizationEndpoint(endpoints + "/v1/authorize", null);
		stub.tokenEndpoint(endpoints + "/v1/token", issuer, "RS256", true);
		stub.jwks(endpoints + "/v1/keys");
		stub.behaviour("https://example.okta.com/oauth2/v1/clients", (query, body) -> new ProviderShapeStub.Answer(401,
				"{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\",\"errorCauses\":[]}", Map.of()));
		return issuer;
	}

	static Provider oktaOrg(ProviderShapeStub stub) {
		String issuer = okta(stub, "https://example.okta.com", "https://example.okta.com/oauth2");
		return new Provider("Okta (org AS)", mcpServer(stub, "okta-org", issuer),
				List.of(preRegistered(stub, "okta", issuer)));
	}

	static Provider oktaCustom(ProviderShapeStub stub) {
		String issuer = okta(stub, "https://example.okta.com/oauth2/default", "https://example.okta.com/oauth2/default");
		return new Provider("Okta (custom AS)", mcpServer(stub, "okta-custom", issuer),
				List.of(preRegistered(stub, "okta", issuer)));
	}

	static Provider auth0(ProviderShapeStub stub) {
		String origin = "https://example.us.auth0.com";
		String issuer = origin + "/";
		stub.document(origin + "/.well-known/openid-configuration", """
				{"issuer":"%1$s/","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/oauth/token",
				"device_authorization_endpoint":"%1$s/oauth/device/code","userinfo_endpoint":"%1$s/userinfo",
				"mfa_challenge_endpoint":"%1$s/mfa/challenge","jwks_uri":"%1$s/.well-known/jwks.json",
				"registration_endpoint":"%1$s/oidc/register","revocation_endpoint":"%1$s/oauth/revoke",
				"scopes_supported":["openid","profile","offline_access","name","given_name","family_name","nickname",
				"email","email_verified","picture","created_at","identities","phone","address"],
				"response_types_supported":["code","token","id_token","code token","code id_token","token id_token","code token id_token"],
				"code_challenge_methods_supported":["S256","plain"],"response_modes_supported":["query","fragment","form_post"],
				"subject_types_supported":["public"],
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","private_key_jwt"],
				"id_token_signing_alg_values_supported":["HS256","RS256","PS256"]}""".formatted(origin));
		stub.authorizationEndpoint(origin + "/authorize", null);
		stub.tokenEndpoint(origin + "/oauth/token", issuer, "RS256", true);
		stub.jwks(origin + "/.well-known/jwks.json");
		stub.openRegistration(origin + "/oidc/register");
		return new Provider("Auth0 (DCR enabled)", mcpServer(stub, "auth0", issuer), List.of());
	}

	static Provider keycloak(ProviderShapeStub stub) {
		String issuer = "https://keycloak.example.com/realms/mcp";
		String oidc = issuer + "/protocol/openid-connect";
		stub.document(issuer + "/.well-known/openid-configuration", """
				{"issuer":"%1$s","authorization_endpoint":"%2$s/auth","token_endpoint":"%2$s/token",
				"introspection_endpoint":"%2$s/token/introspect","userinfo_endpoint":"%2$s/userinfo",
				"end_session_endpoint":"%2$s/logout","jwks_uri":"%2$s/certs",
				"grant_types_supported":["authorization_code","implicit","refresh_token","password","client_credentials"],
				"response_types_supported":["code","none","id_token","token","id_token token","code id_token","code token","code id_token token"],
				"id_token_signing_alg_values_supported":["PS384","RS384","EdDSA","ES384","HS256","HS512","ES256","RS256","HS384","ES512","PS256","PS512","RS512"],
				"scopes_supported":["openid","profile","email","offline_access","roles","web-origins","acr","basic"],
				"token_endpoint_auth_methods_supported":["private_key_jwt","client_secret_basic","client_secret_post","tls_client_auth","client_secret_jwt"],
				"code_challenge_methods_supported":["plain","S256"],
				"registration_endpoint":"%1$s/clients-registrations/openid-connect",
				"revocation_endpoint":"%2$s/revoke","authorization_response_iss_parameter_supported":true}"""
			.formatted(issuer, oidc));
		stub.authorizationEndpoint(oidc + "/auth", issuer);
		stub.tokenEndpoint(oidc + "/token", issuer, "RS256", true);
		stub.jwks(oidc + "/certs");
		stub.behaviour(issuer + "/clients-registrations/openid-connect", (query, body) -> new ProviderShapeStub.Answer(
				403, "{\"error\":\"insufficient_scope\",\"error_description\":\"Policy 'Trusted Hosts' rejected request"
						+ " to client-registration service. Details: Host not trusted.\"}", Map.of()));
		return new Provider("Keycloak (realm issuer)", mcpServer(stub, "keycloak", issuer),
				List.of(preRegistered(stub, "keycloak", issuer)));
	}

	static Provider google(ProviderShapeStub stub) {
		String issuer = "https://accounts.google.com";
		stub.document(issuer + "/.well-known/openid-configuration", """
				{"issuer":"https://accounts.google.com","authorization_endpoint":"https://accounts.google.com/o/oauth2/v2/auth",
				"device_authorization_endpoint":"https://oauth2.googleapis.com/device/code",
				"token_endpoint":"https://oauth2.googleapis.com/token",
				"userinfo_endpoint":"https://openidconnect.googleapis.com/v1/userinfo",
				"revocation_endpoint":"https://oauth2.googleapis.com/revoke","jwks_uri":"https://www.googleapis.com/oauth2/v3/certs",
				"response_types_supported":["code","token","id_token","code token","code id_token","token id_token","code token id_token","none"],
				"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],
				"scopes_supported":["openid","email","profile"],
				"token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"],
				"code_challenge_methods_supported":["plain","S256"],
				"grant_types_supported":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code","urn:ietf:params:oauth:grant-type:jwt-bearer"]}""");
		stub.authorizationEndpoint("https://accounts.google.com/o/oauth2/v2/auth", null);
		stub.tokenEndpoint("https://oauth2.googleapis.com/token", issuer, "RS256", true);
		stub.jwks("https://www.googleapis.com/oauth2/v3/certs");
		return new Provider("Google", mcpServer(stub, "google", issuer), List.of(preRegistered(stub, "google", issuer)));
	}

	static Provider github(ProviderShapeStub stub) {
		String issuer = "https://github.com/login/oauth";
		stub.document("https://github.com/.well-known/oauth-authorization-server/login/oauth", """
				{"issuer":"https://github.com/login/oauth","authorization_endpoint":"https://github.com/login/oauth/authorize",
				"token_endpoint":"https://github.com/login/oauth/access_token","response_types_supported":["code"],
				"grant_types_supported":["authorization_code","refresh_token"]}""");
		stub.authorizationEndpoint("https://github.com/login/oauth/authorize", null);
		stub.tokenEndpoint("https://github.com/login/oauth/access_token", null, null, false);
		String url = "https://api.githubcopilot.com/mcp";
		String metadata = "https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp";
		stub.document(metadata, """
				{"resource_name":"GitHub MCP Server","resource":"https://api.githubcopilot.com/mcp",
				"authorization_servers":["https://github.com/login/oauth"],"bearer_methods_supported":["header"],
				"scopes_supported":["gist","notifications","public_repo","repo","repo:status","repo_deployment","user",
				"user:email","user:follow","read:gpg_key","read:org"]}""");
		stub.mcpServer(url, metadata);
		return new Provider("GitHub (MCP server + OAuth app)", url,
				List.of(pkce(stub, issuer), preRegistered(stub, "github", issuer)));
	}

	static Provider cognito(ProviderShapeStub stub) {
		String issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example1";
		String domain = "https://example.auth.us-east-1.amazoncognito.com";
		stub.document(issuer + "/.well-known/openid-configuration", """
				{"authorization_endpoint":"%2$s/oauth2/authorize","end_session_endpoint":"%2$s/logout",
				"id_token_signing_alg_values_supported":["RS256"],"issuer":"%1$s","jwks_uri":"%1$s/.well-known/jwks.json",
				"response_types_supported":["code","token"],"revocation_endpoint":"%2$s/oauth2/revoke",
				"scopes_supported":["openid","email","phone","profile"],"subject_types_supported":["public"],
				"token_endpoint":"%2$s/oauth2/token",
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"],
				"userinfo_endpoint":"%2$s/oauth2/userInfo"}""".formatted(issuer, domain));
		stub.authorizationEndpoint(domain + "/oauth2/authorize", null);
		stub.tokenEndpoint(domain + "/oauth2/token", issuer, "RS256", true);
		stub.jwks(issuer + "/.well-known/jwks.json");
		return new Provider("AWS Cognito", mcpServer(stub, "cognito", issuer),
				List.of(pkce(stub, issuer), preRegistered(stub, "cognito", issuer)));
	}

	static Provider betterAuth(ProviderShapeStub stub) {
		String issuer = "https://app.example.com/api/auth";
		stub.document("https://app.example.com/.well-known/oauth-authorization-server/api/auth", """
				{"issuer":"%1$s","authorization_endpoint":"%1$s/oauth2/authorize","token_endpoint":"%1$s/oauth2/token",
				"registration_endpoint":"%1$s/oauth2/register","userinfo_endpoint":"%1$s/oauth2/userinfo",
				"jwks_uri":"%1$s/jwks","revocation_endpoint":"%1$s/oauth2/revoke",
				"scopes_supported":["openid","profile","email","offline_access"],"response_types_supported":["code"],
				"grant_types_supported":["authorization_code","client_credentials","refresh_token"],
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","none"],
				"code_challenge_methods_supported":["S256"],"id_token_signing_alg_values_supported":["EdDSA"],
				"authorization_response_iss_parameter_supported":true}""".formatted(issuer));
		stub.authorizationEndpoint(issuer + "/oauth2/authorize", issuer);
		stub.tokenEndpoint(issuer + "/oauth2/token", issuer, "EdDSA", true);
		stub.jwks(issuer + "/jwks");
		stub.openRegistration(issuer + "/oauth2/register");
		return new Provider("Better Auth (oauth-provider)", mcpServer(stub, "better-auth", issuer), List.of());
	}

	static Provider springAuthorizationServer(ProviderShapeStub stub) {
		String issuer = "https://sas.example.com";
		String json = """
				{"issuer":"%1$s","authorization_endpoint":"%1$s/oauth2/authorize",
				"device_authorization_endpoint":"%1$s/oauth2/device_authorization","token_endpoint":"%1$s/oauth2/token",
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","client_secret_jwt","private_key_jwt","tls_client_auth","self_signed_tls_client_auth"],
				"jwks_uri":"%1$s/oauth2/jwks","userinfo_endpoint":"%1$s/userinfo","end_session_endpoint":"%1$s/connect/logout",
				"response_types_supported":["code"],
				"grant_types_supported":["authorization_code","client_credentials","refresh_token","urn:ietf:params:oauth:grant-type:device_code","urn:ietf:params:oauth:grant-type:token-exchange"],
				"revocation_endpoint":"%1$s/oauth2/revoke","introspection_endpoint":"%1$s/oauth2/introspect",
				"code_challenge_methods_supported":["S256"],"subject_types_supported":["public"],
				"id_token_signing_alg_values_supported":["RS256"],"scopes_supported":["openid"]}""".formatted(issuer);
		stub.document(issuer + "/.well-known/oauth-authorization-server", json);
		stub.document(issuer + "/.well-known/openid-configuration", json);
		stub.authorizationEndpoint(issuer + "/oauth2/authorize", null);
		stub.tokenEndpoint(issuer + "/oauth2/token", issuer, "RS256", true);
		stub.jwks(issuer + "/oauth2/jwks");
		return new Provider("Spring Authorization Server", mcpServer(stub, "sas", issuer),
				List.of(preRegistered(stub, "sas", issuer)));
	}

	/** A hosted MCP server that is its own authorization server (Cloudflare's workers-oauth-provider shape). */
	static Provider hosted(ProviderShapeStub stub, String name, String origin) {
		String url = origin + "/mcp";
		stub.document(origin + "/.well-known/oauth-protected-resource/mcp",
				"{\"resource\":\"" + url + "\",\"authorization_servers\":[\"" + origin + "\"],"
						+ "\"bearer_methods_supported\":[\"header\"]}");
		stub.document(origin + "/.well-known/oauth-authorization-server", """
				{"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
				"registration_endpoint":"%1$s/register","response_types_supported":["code"],
				"response_modes_supported":["query"],"grant_types_supported":["authorization_code","refresh_token"],
				"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","none"],
				"revocation_endpoint":"%1$s/token","code_challenge_methods_supported":["plain","S256"]}""".formatted(origin));
		stub.authorizationEndpoint(origin + "/authorize", null);
		stub.tokenEndpoint(origin + "/token", null, null, true);
		stub.openRegistration(origin + "/register");
		stub.mcpServer(url, origin + "/.well-known/oauth-protected-resource/mcp");
		return new Provider(name, url, List.of());
	}

}
