package dev.mcpconnector.demo;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts requests before Spring Security sees them. For form posts {@code getParameter} parses the
 * body and keeps the parameters for everyone downstream, so reading {@code grant_type} is safe.
 */
final class DemoCountingFilter implements Filter {

    private final DemoCounters counters;

    private final DemoAuthorizationService authorizations;

    DemoCountingFilter(DemoCounters counters, DemoAuthorizationService authorizations) {
        this.counters = counters;
        this.authorizations = authorizations;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() != jakarta.servlet.DispatcherType.REQUEST) {
            chain.doFilter(req, res);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        switch (path) {
            case "/oauth2/token" -> {
                counters.tokenRequest(request.getParameter("grant_type"));
                String refreshToken = request.getParameter("refresh_token");
                if ("refresh_token".equals(request.getParameter("grant_type")) && refreshToken != null
                        && !authorizations.isCurrentRefreshToken(refreshToken)) {
                    counters.staleRefreshTokenGrant();
                }
                chain.doFilter(req, res);
                if (response.getStatus() >= 400) {
                    counters.tokenError();
                }
            }
            case "/oauth2/revoke" -> {
                counters.revocationRequest();
                chain.doFilter(req, res);
            }
            case "/oauth2/register" -> {
                counters.registrationRequest();
                chain.doFilter(req, res);
            }
            case "/oauth2/authorize" -> {
                counters.authorizationRequest();
                chain.doFilter(req, res);
            }
            case "/mcp" -> {
                counters.mcpRequest();
                if ("POST".equals(request.getMethod())) {
                    counters.mcpPost();
                }
                chain.doFilter(req, res);
                if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
                    counters.mcpUnauthorizedResponse();
                }
            }
            default -> chain.doFilter(req, res);
        }
    }
}
