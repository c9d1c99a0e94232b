package dev.mcpconnector.demo;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * The demo application: a Spring Authorization Server plus the MCP server it protects
 * ({@link DemoMcpConfiguration}).
 *
 * <p>It is started by {@link DemoServer#start(DemoServerSettings)}, which registers the
 * {@link DemoServerSettings}, {@link DemoUrls} and {@link DemoCounters} beans before refresh. There is no
 * component scanning and no {@code @EnableAutoConfiguration}: only the auto-configurations listed below are
 * imported, so whatever else is on the classpath (DataSource, JPA, Flyway, mcp-connector's own
 * auto-configuration, OAuth2 client, ...) is ignored.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@Import(DemoMcpConfiguration.class)
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ConfigurationPropertiesAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        SecurityAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class })
public class DemoServerApplication {

    /**
     * Runs a demo server from the command line: {@code --port=9000} (default 9000),
     * {@code --redirect-uri=...} (repeatable), {@code --demo.mcp.revisions=both|legacy|modern} (default
     * both), other settings default. Prints the URLs and blocks until the JVM is stopped.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 9000;
        List<String> redirectUris = new ArrayList<>();
        DemoMcpRevisions revisions = DemoMcpRevisions.BOTH;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            }
            else if (arg.startsWith("--redirect-uri=")) {
                redirectUris.add(arg.substring("--redirect-uri=".length()));
            }
            else if (arg.startsWith("--demo.mcp.revisions=")) {
                revisions = DemoMcpRevisions.of(arg.substring("--demo.mcp.revisions=".length()));
            }
        }
        DemoServerSettings.Builder settings = DemoServerSettings.builder().port(port).mcpRevisions(revisions);
        if (!redirectUris.isEmpty()) {
            settings.redirectUris(redirectUris);
        }
        DemoServer server = DemoServer.start(settings.build());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("MCP demo server: " + server.mcpUrl() + " (issuer " + server.issuer()
                + ", MCP revisions " + revisions.name().toLowerCase(java.util.Locale.ROOT) + ")");
        Thread.currentThread().join();
    }

    // ------------------------------------------------------------------ authorization server

    @Bean
    JWKSource<SecurityContext> jwkSource() {
        KeyPair keyPair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        RSAKey rsaKey = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic())
                .privateKey((RSAPrivateKey) keyPair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(rsaKey));
    }

    /**
     * Used by the authorization server's own endpoints (client registration with an initial access token).
     * The MCP endpoint has a stricter decoder of its own (audience, no clock skew).
     */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(DemoUrls urls) {
        return AuthorizationServerSettings.builder().issuer(urls.issuer()).build();
    }

    @Bean
    DemoAuthorizationService demoAuthorizationService() {
        return new DemoAuthorizationService();
    }

    @Bean
    DemoRegisteredClientRepository registeredClientRepository(DemoServerSettings settings) {
        TokenSettings tokenSettings = TokenSettings.builder()
                .accessTokenTimeToLive(settings.accessTokenTimeToLive())
                .refreshTokenTimeToLive(settings.refreshTokenTimeToLive())
                .reuseRefreshTokens(false)
                .build();
        RegisteredClient client = RegisteredClient.withId("demo-client-registration")
                .clientId(settings.clientId())
                .clientSecret("{noop}" + settings.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(settings.redirectUris()))
                .scopes(scopes -> scopes.addAll(settings.allowedScopes()))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(tokenSettings)
                .build();
        return new DemoRegisteredClientRepository(tokenSettings, settings.allowedScopes(),
                settings.oidc() ? List.of("openid", "profile", "email") : List.of(), client);
    }

    /**
     * RFC 8707: access tokens carry {@code aud} = the {@code resource} parameter(s) of the original
     * authorization request; the same authorization is used for refresh-token grants, so refreshed tokens
     * get the same audience.
     */
    static OAuth2TokenCustomizer<JwtEncodingContext> audienceFromResourceParameter() {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            OAuth2Authorization authorization = context.getAuthorization();
            if (authorization == null) {
                return;
            }
            OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
            if (request == null) {
                return;
            }
            List<String> audience = asStrings(request.getAdditionalParameters().get("resource"));
            if (!audience.isEmpty()) {
                context.getClaims().audience(audience);
            }
        };
    }

    /**
     * OpenID Connect: ID tokens carry the user's display name, username and e-mail address when the
     * {@code profile} and {@code email} scopes were granted.
     */
    static OAuth2TokenCustomizer<JwtEncodingContext> identityClaims(DemoServerSettings settings) {
        return context -> {
            if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                return;
            }
            String username = context.getPrincipal().getName();
            if (context.getAuthorizedScopes().contains("profile")) {
                context.getClaims().claim("name", settings.displayName(username));
                context.getClaims().claim("preferred_username", username);
            }
            if (context.getAuthorizedScopes().contains("email")) {
                context.getClaims().claim("email", settings.email(username));
                context.getClaims().claim("email_verified", true);
            }
        };
    }

    /**
     * RFC 9449 §6: an access token issued to a request with a (verified) DPoP proof names the proof's key
     * as {@code cnf.jkt}; Spring Authorization Server then answers {@code token_type=DPoP}. Its own
     * customizer does this only for the token generator it builds itself, not for this one.
     */
    @SuppressWarnings("unchecked")
    static void dPoPConfirmation(JwtEncodingContext context) {
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
                && context.get(OAuth2TokenContext.DPOP_PROOF_KEY) instanceof Jwt proof) {
            try {
                JWK key = JWK.parse((Map<String, Object>) proof.getHeaders().get("jwk"));
                context.getClaims().claim("cnf", Map.of("jkt", key.computeThumbprint().toString()));
            }
            catch (ParseException | JOSEException | ClassCastException ex) {
                throw new OAuth2AuthenticationException(new OAuth2Error("invalid_dpop_proof"), ex);
            }
        }
    }

    private static List<String> asStrings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        }
        else if (value instanceof String[] array) {
            out.addAll(List.of(array));
        }
        else if (value instanceof Collection<?> collection) {
            collection.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, DemoServerSettings settings,
            JWKSource<SecurityContext> jwkSource, DemoRegisteredClientRepository clients,
            DemoAuthorizationService authorizations, AuthorizationServerSettings serverSettings) throws Exception {
        JwtGenerator jwtGenerator = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
        OAuth2TokenCustomizer<JwtEncodingContext> audience = audienceFromResourceParameter();
        OAuth2TokenCustomizer<JwtEncodingContext> identity = identityClaims(settings);
        jwtGenerator.setJwtCustomizer(context -> {
            audience.customize(context);
            identity.customize(context);
            dPoPConfirmation(context);
        });
        OAuth2TokenGenerator<OAuth2Token> tokenGenerator = new DelegatingOAuth2TokenGenerator(jwtGenerator,
                new OAuth2AccessTokenGenerator(), new OAuth2RefreshTokenGenerator());
        http.oauth2AuthorizationServer(as -> {
            http.securityMatcher(as.getEndpointsMatcher());
            as.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .authorizationServerSettings(serverSettings)
                    .tokenGenerator(tokenGenerator)
                    .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                            builder -> builder.claims(claims -> {
                                // S256 is advertised by default; make sure of it anyway.
                                Object methods = claims.get("code_challenge_methods_supported");
                                if (!(methods instanceof Collection<?> c) || !c.contains("S256")) {
                                    claims.put("code_challenge_methods_supported", List.of("S256"));
                                }
                                if (settings.oidc()) {
                                    // How a client that reads RFC 8414 metadata learns that this is an
                                    // OpenID provider too.
                                    claims.put("scopes_supported", settings.allowedScopes());
                                }
                            })));
            if (settings.oidc()) {
                as.oidc(oidc -> oidc.providerConfigurationEndpoint(configuration -> configuration
                        .providerConfigurationCustomizer(builder -> builder
                                .scopes(scopes -> {
                                    scopes.clear();
                                    scopes.addAll(settings.allowedScopes());
                                })
                                .claims(claims -> claims.put("claims_supported",
                                        List.of("sub", "name", "preferred_username", "email", "email_verified"))))));
            }
            if (settings.dynamicClientRegistration()) {
                as.clientRegistrationEndpoint(registration -> registration
                        .openRegistrationAllowed(true)
                        .authenticationProviders(providers -> providers.forEach(provider -> {
                            if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider p) {
                                p.setAuthenticationValidator(dynamicRegistrationValidator(settings));
                            }
                        })));
            }
        });
        http.authorizeHttpRequests(authorize -> {
            if (settings.dynamicClientRegistration()) {
                authorize.requestMatchers(HttpMethod.POST, "/oauth2/register").permitAll();
            }
            authorize.anyRequest().authenticated();
        });
        if (settings.oidc()) {
            // The userinfo endpoint takes the access token.
            http.oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        }
        http.exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
        return http.build();
    }

    /**
     * The default validator rejects any {@code scope} in a registration request; accept the demo's scopes
     * (a client that registers without a scope gets them all, see {@link DemoRegisteredClientRepository}).
     */
    private static Consumer<OAuth2ClientRegistrationAuthenticationContext> dynamicRegistrationValidator(
            DemoServerSettings settings) {
        Consumer<OAuth2ClientRegistrationAuthenticationContext> scopes = context -> {
            List<String> requested = context.<OAuth2ClientRegistrationAuthenticationToken>getAuthentication()
                    .getClientRegistration().getScopes();
            if (requested != null && !settings.allowedScopes().containsAll(requested)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                        "Invalid Client Registration: scope (allowed: " + settings.allowedScopes() + ")",
                        "https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2"));
            }
        };
        return OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
                .andThen(OAuth2ClientRegistrationAuthenticationValidator.DEFAULT_JWK_SET_URI_VALIDATOR)
                .andThen(scopes);
    }

    @Bean
    UserDetailsService userDetailsService(DemoServerSettings settings) {
        List<UserDetails> users = new ArrayList<>();
        settings.users().forEach((name, password) -> users
                .add(User.withUsername(name).password("{noop}" + password).roles("USER").build()));
        return new InMemoryUserDetailsManager(users);
    }

    // ------------------------------------------------------------------ everything else: form login

    @Bean
    @Order(3)
    SecurityFilterChain defaultSecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }
}
