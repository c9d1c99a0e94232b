package dev.mcpconnector.demo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The in-memory authorization service, plus an index by principal name so that a test can drop all of
 * a user's grants ({@link DemoServer#revokeAllTokensOf(String)}).
 */
final class DemoAuthorizationService implements OAuth2AuthorizationService {

    private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
    private final Map<String, String> principalById = new ConcurrentHashMap<>();

    @Override
    public void save(OAuth2Authorization authorization) {
        delegate.save(authorization);
        principalById.put(authorization.getId(), authorization.getPrincipalName());
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
        principalById.remove(authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    /** Removes every authorization (codes, access and refresh tokens) of this user; returns how many. */
    int removeAllOf(String principalName) {
        List<String> ids = principalById.entrySet().stream()
                .filter(e -> e.getValue().equals(principalName))
                .map(Map.Entry::getKey)
                .toList();
        int removed = 0;
        for (String id : ids) {
            OAuth2Authorization authorization = delegate.findById(id);
            principalById.remove(id);
            if (authorization != null) {
                delegate.remove(authorization);
                removed++;
            }
        }
        return removed;
    }
}
