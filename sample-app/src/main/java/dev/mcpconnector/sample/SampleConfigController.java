package dev.mcpconnector.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpconnector.demo.DemoServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the page needs to know: who is logged in, and the demo MCP server URL to pre-fill. */
@RestController
class SampleConfigController {

	private final ObjectProvider<DemoServer> demoServer;

	SampleConfigController(ObjectProvider<DemoServer> demoServer) {
		this.demoServer = demoServer;
	}

	/**
	 * The page's settings. Also makes sure the {@code XSRF-TOKEN} cookie exists: Spring Security
	 * loads CSRF tokens lazily and writes the cookie only when a token is read, and it replaces
	 * the token at login, so the page calls this first and then finds a fresh cookie to echo.
	 * @param authentication the user
	 * @param csrfToken the request's CSRF token (reading it writes the cookie)
	 * @return {@code user}, {@code demoServerUrl} (null outside the demo profile)
	 */
	@GetMapping("/sample/config")
	Map<String, Object> config(Authentication authentication, CsrfToken csrfToken) {
		csrfToken.getToken();
		DemoServer server = this.demoServer.getIfAvailable();
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("user", authentication.getName());
		config.put("demoServerUrl", (server != null) ? server.mcpUrl() : null);
		return config;
	}

}
