package dev.mcpconnector.demo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
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
    private final Set<String> expiredOnCommand = ConcurrentHashMap.newKeySet();

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

    /**
     * Marks every access token issued so far as expired: /mcp refuses them from now on, as it refuses one past
     * its {@code exp}. Tokens issued later (by a refresh) are not affected. Returns how many were marked.
     */
    int expireAccessTokens() {
        int marked = 0;
        for (String id : principalById.keySet()) {
            OAuth2Authorization authorization = delegate.findById(id);
            OAuth2Authorization.Token<OAuth2AccessToken> token = (authorization != null)
                    ? authorization.getAccessToken() : null;
            if (token != null && expiredOnCommand.add(token.getToken().getTokenValue())) {
                marked++;
            }
        }
        return marked;
    }

    boolean isExpiredOnCommand(String accessToken) {
        return expiredOnCommand.contains(accessToken);
    }

    /** Whether this is the current refresh token of a grant (not one rotated away, not unknown). */
    boolean isCurrentRefreshToken(String refreshToken) {
        return delegate.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN) != null;
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
