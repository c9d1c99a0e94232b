package dev.mcpconnector.sample;

/** The URLs the sample prints and links. */
final class SampleUrls {

	private SampleUrls() {
	}

	/**
	 * The page, on {@code localhost} rather than {@code 127.0.0.1}: the demo MCP server lives on
	 * {@code 127.0.0.1}, and browsers scope cookies by host name (not port), so keeping the two on
	 * different names keeps their sessions apart. The OAuth redirect URI follows whatever origin
	 * the browser used (see application-demo.yml), so opening this URL makes it
	 * {@code http://localhost:<port>/api/mcp/oauth/callback}.
	 * @param port the port the app listens on
	 * @return the page URL
	 */
	static String pageUrl(int port) {
		return "http://localhost:" + port + "/";
	}

}
