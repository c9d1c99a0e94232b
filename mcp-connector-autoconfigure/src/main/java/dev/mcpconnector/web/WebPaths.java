package dev.mcpconnector.web;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Return paths and redirect URIs for the browser side of authorization. */
final class WebPaths {

	private final String basePath;

	private final URI configuredRedirectUri;

	private final String defaultReturnTo;

	public WebPaths(String basePath, URI configuredRedirectUri, String defaultReturnTo) {
		this.basePath = basePath;
		this.configuredRedirectUri = configuredRedirectUri;
		this.defaultReturnTo = isSafeReturnTo(defaultReturnTo) ? defaultReturnTo : "/";
	}

	/**
	 * The callback URL: the configured one, else the callback endpoint on the request's own
	 * origin.
	 * @param request the current request
	 * @return the absolute redirect URI
	 */
	String basePath() {
		return this.basePath;
	}

	public URI redirectUri(HttpServletRequest request) {
		if (this.configuredRedirectUri != null) {
			return this.configuredRedirectUri;
		}
		return ServletUriComponentsBuilder.fromContextPath(request)
			.path(this.basePath + "/oauth/callback")
			.replaceQuery(null)
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
