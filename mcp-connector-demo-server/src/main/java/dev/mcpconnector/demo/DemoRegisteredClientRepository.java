package dev.mcpconnector.demo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * In-memory client repository. Clients that arrive through dynamic client registration get the demo's
 * token settings, no consent screen, all the demo's scopes if they registered
 * without any (the registration converter asks for consent by default), and {@code openid profile email}
 * when OpenID Connect is enabled.
 */
final class DemoRegisteredClientRepository implements RegisteredClientRepository {

    private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();
    private final Map<String, RegisteredClient> byClientId = new ConcurrentHashMap<>();
    private final TokenSettings tokenSettings;

    private final List<String> defaultScopes;

    private final List<String> oidcScopes;

    DemoRegisteredClientRepository(TokenSettings tokenSettings, List<String> defaultScopes,
            List<String> oidcScopes, RegisteredClient... clients) {
        this.tokenSettings = tokenSettings;
        this.defaultScopes = List.copyOf(defaultScopes);
        this.oidcScopes = List.copyOf(oidcScopes);
        for (RegisteredClient client : clients) {
            put(client);
        }
    }

    @Override
    public void save(RegisteredClient client) {
        if (!byId.containsKey(client.getId())) {
            boolean noScopes = client.getScopes().isEmpty();
            client = RegisteredClient.from(client)
                    .scopes(scopes -> {
                        if (noScopes) {
                            scopes.addAll(defaultScopes);
                        }
                        scopes.addAll(oidcScopes);
                    })
                    .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
                            .requireProofKey(true)
                            .requireAuthorizationConsent(false)
                            .build())
                    .tokenSettings(tokenSettings)
                    .build();
        }
        put(client);
    }

    private void put(RegisteredClient client) {
        byId.put(client.getId(), client);
        byClientId.put(client.getClientId(), client);
    }

    @Override
    public RegisteredClient findById(String id) {
        return byId.get(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return byClientId.get(clientId);
    }
}
