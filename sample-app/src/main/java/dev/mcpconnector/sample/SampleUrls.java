package dev.mcpconnector.sample;

/** The URLs the sample prints and links. */
final class SampleUrls {

	private SampleUrls() {
	}

	/**
	 * The page, on {@code localhost} rather than {@code 127.0.0.1}: the demo MCP server lives on
	 * {@code 127.0.0.1}, and browsers scope cookies by host name (not port), so keeping the two on
	 * different names keeps their sessions apart. With no redirect URI or trusted origin
	 * configured (see application-demo.yml) the OAuth callback is
	 * {@code http://localhost:<port>/api/mcp/oauth/callback}, on this same origin.
	 * @param port the port the app listens on
	 * @return the page URL
	 */
	static String pageUrl(int port) {
		return "http://localhost:" + port + "/";
	}

}
