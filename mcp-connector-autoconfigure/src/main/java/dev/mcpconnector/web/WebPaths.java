package dev.mcpconnector.web;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.util.UriComponentsBuilder;

/** Return paths and redirect URIs for the browser side of authorization. */
final class WebPaths {

	private static final Logger logger = LoggerFactory.getLogger(WebPaths.class);

	private volatile boolean warned;

	private final String basePath;

	private final URI configuredRedirectUri;

	private final String defaultReturnTo;

	public WebPaths(String basePath, URI configuredRedirectUri, String defaultReturnTo) {
		this.basePath = basePath;
		this.configuredRedirectUri = configuredRedirectUri;
		this.defaultReturnTo = isSafeReturnTo(defaultReturnTo) ? defaultReturnTo : "/";
	}

	String basePath() {
		return this.basePath;
	}

	/**
	 * The callback URL: the configured one (the auto-configuration builds it from
	 * {@code redirect-uri} or the first trusted origin), else, for local development, the
	 * callback endpoint on {@code http://localhost} at the port the request arrived on. Never
	 * from the request's {@code Host} or {@code X-Forwarded-*} headers: a forged one would make
	 * the application register again with an authorization server (replacing the registration
	 * every user's grant there depends on) and its client ID metadata document name any host.
	 * @param request the current request
	 * @return the absolute redirect URI
	 */
	public URI redirectUri(HttpServletRequest request) {
		if (this.configuredRedirectUri != null) {
			return this.configuredRedirectUri;
		}
		if (!this.warned) {
			this.warned = true;
			logger.warn("Neither mcp.connector.authorization.redirect-uri nor .trusted-origins is set: the OAuth"
					+ " callback is on http://localhost:{}, for local development only", request.getLocalPort());
		}
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host("localhost")
			.port((request.getLocalPort() == 80) ? -1 : request.getLocalPort())
			.path(request.getContextPath() + this.basePath + "/oauth/callback")
			.build()
			.toUri();
	}

	/**
	 * A return path a client asked for, if it is a path on this origin; the default otherwise.
	 * Absolute URLs, scheme-relative ({@code //host}) and backslash tricks, and control
	 * characters are refused, so the callback can never become an open redirect.
	 * @param requested the requested path
	 * @return a safe path
	 */
	public String returnTo(String requested) {
		return isSafeReturnTo(requested) ? requested : this.defaultReturnTo;
	}

	static boolean isSafeReturnTo(String path) {
		if (path == null || path.isEmpty() || path.length() > 2048 || path.charAt(0) != '/') {
			return false;
		}
		if (path.startsWith("//") || path.startsWith("/\\")) {
			return false;
		}
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c < 0x20 || c == 0x7f || c == '\\') {
				return false;
			}
		}
		try {
			URI uri = new URI(path);
			return uri.getScheme() == null && uri.getRawAuthority() == null;
		}
		catch (java.net.URISyntaxException ex) {
			return false;
		}
	}

}
