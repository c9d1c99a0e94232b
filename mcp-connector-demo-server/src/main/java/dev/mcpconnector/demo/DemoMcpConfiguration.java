package dev.mcpconnector.demo;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The MCP side of the demo application: the resource server that protects {@code /mcp} and its
 * protected-resource metadata, and behind it one {@link DemoMcpDispatcher} in front of two servers with the
 * same {@link DemoTools}: the legacy SDK's Streamable HTTP server (2025-11-25 and earlier) and the
 * {@code io.modelcontextprotocol.modern} one (2026-07-28). Both revisions get the same bearer-token check,
 * the same {@code WWW-Authenticate} challenge and the same counting.
 */
@Configuration(proxyBeanMethods = false)
class DemoMcpConfiguration {

    @Bean
    @Order(2)
    SecurityFilterChain mcpSecurityFilterChain(HttpSecurity http, DemoUrls urls,
            JWKSource<SecurityContext> jwkSource, DemoAuthorizationService authorizations) throws Exception {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
        // A token a test expired on command (DemoServer#expireAccessTokens) is refused like one past its exp.
        OAuth2TokenValidator<Jwt> notExpiredOnCommand = jwt -> authorizations.isExpiredOnCommand(jwt.getTokenValue())
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The access token expired", null))
                : OAuth2TokenValidatorResult.success();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithValidators(
                new JwtTimestampValidator(Duration.ZERO),
                new JwtIssuerValidator(urls.issuer()),
                new JwtAudienceValidator(urls.mcpUrl()),
                notExpiredOnCommand)));
        JwtDecoder jwtDecoder = decoder;

        BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
        entryPoint.setResourceMetadataParameterResolver(request -> urls.resourceMetadataUrl());

        http.securityMatcher("/mcp", "/mcp/**", "/.well-known/oauth-protected-resource",
                "/.well-known/oauth-protected-resource/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/.well-known/oauth-protected-resource",
                                "/.well-known/oauth-protected-resource/**").permitAll()
                        .anyRequest().authenticated())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        // RFC 9449: a DPoP-bound token (cnf.jkt) is taken only as "Authorization: DPoP" with a
                        // proof of its key; Spring Security refuses it as Bearer.
                        .dPoP(Customizer.withDefaults())
                        .authenticationEntryPoint(entryPoint)
                        .protectedResourceMetadata(prm -> prm.protectedResourceMetadataCustomizer(builder -> builder
                                .resource(urls.mcpUrl())
                                .authorizationServers(list -> {
                                    list.clear();
                                    list.add(urls.issuer());
                                })
                                .scopes(list -> {
                                    list.clear();
                                    list.add("mcp:tools");
                                })
                                .bearerMethods(list -> {
                                    list.clear();
                                    list.add("header");
                                })
                                .claims(claims -> {
                                    claims.remove("tls_client_certificate_bound_access_tokens");
                                    // RFC 9728 §2: DPoP-bound tokens are taken (bearer ones too).
                                    claims.put("dpop_signing_alg_values_supported", List.of("ES256", "PS256", "RS256"));
                                    claims.put("dpop_bound_access_tokens_required", false);
                                }))));
        return http.build();
    }

    @Bean
    DemoTools demoTools(DemoCounters counters) {
        return new DemoTools(counters);
    }

    /**
     * The dispatcher and the two servers behind it. The transports are servlets but not beans, so that Boot
     * does not map them anywhere of their own: they are reached only through {@code /mcp} and its filter
     * chain. The dispatcher's {@code destroy()} closes both transports, which is what closing either server
     * does.
     */
    @Bean
    DemoMcpDispatcher mcpDispatcher(DemoTools tools, DemoCounters counters, DemoServerSettings settings) {
        HttpServletStreamableServerTransportProvider legacy = DemoMcpServer.transport();
        DemoMcpServer.server(legacy, tools);
        HttpServletMcpTransport modern = DemoModernMcpServer.transport(DemoModernMcpServer.server(tools));
        return new DemoMcpDispatcher(legacy, modern, counters, settings.mcpRevisions());
    }

    @Bean
    ServletRegistrationBean<DemoMcpDispatcher> mcpServlet(DemoMcpDispatcher dispatcher) {
        ServletRegistrationBean<DemoMcpDispatcher> registration =
                new ServletRegistrationBean<>(dispatcher, DemoMcpServer.ENDPOINT);
        registration.setName("mcp");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<DemoCountingFilter> demoCountingFilter(DemoCounters counters,
            DemoAuthorizationService authorizations) {
        FilterRegistrationBean<DemoCountingFilter> registration =
                new FilterRegistrationBean<>(new DemoCountingFilter(counters, authorizations));
        registration.setName("demoCountingFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setAsyncSupported(true);
        registration.addUrlPatterns("/oauth2/*", "/mcp", "/mcp/*");
        return registration;
    }
}
