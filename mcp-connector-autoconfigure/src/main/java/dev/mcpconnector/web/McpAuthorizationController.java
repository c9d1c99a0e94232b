package dev.mcpconnector.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import dev.mcpconnector.authorization.AuthorizationOutcome;
import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.OwnerResolver;
import dev.mcpconnector.registration.ClientRegistrationResolver;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The browser side of authorization: the OAuth callback, and the application's client ID
 * metadata document.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}/oauth")
class McpAuthorizationController {

	private final McpAuthorizationService authorization;

	private final WebPaths paths;

	private final CurrentOwner currentOwner;

	private final URI clientMetadataDocumentUrl;

	private final String clientName;

	public McpAuthorizationController(McpAuthorizationService authorization, WebPaths paths,
			OwnerResolver ownerResolver, URI clientMetadataDocumentUrl, String clientName) {
		Assert.notNull(authorization, "authorization cannot be null");
		Assert.notNull(paths, "paths cannot be null");
		this.authorization = authorization;
		this.paths = paths;
		this.currentOwner = new CurrentOwner(ownerResolver);
		this.clientMetadataDocumentUrl = clientMetadataDocumentUrl;
		this.clientName = clientName;
	}

	/**
	 * The authorization server sends the browser here. The {@code state} and {@code iss} are
	 * checked before the code is redeemed; a refused callback answers Problem Details. Success
	 * and a declined consent redirect to the return path recorded when the flow started, with
	 * {@code connection} and {@code outcome} parameters, or answer JSON when the client asks for
	 * JSON.
	 */
	@GetMapping("/callback")
	public ResponseEntity<?> callback(Authentication authentication,
			@RequestParam(name = "code", required = false) String code,
			@RequestParam(name = "state", required = false) String state,
			@RequestParam(name = "iss", required = false) String iss,
			@RequestParam(name = "error", required = false) String error,
			@RequestParam(name = "error_description", required = false) String errorDescription,
			HttpServletRequest request) {
		AuthorizationOutcome outcome = this.authorization.complete(this.currentOwner.of(authentication),
				new CallbackParameters(code, state, iss, error, errorDescription));
		String result = outcome.isSuccess() ? "authorized" : "denied";
		if (wantsJson(request)) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("connection", ConnectionResponse.of(outcome.connection()));
			body.put("outcome", result);
			if (!outcome.isSuccess()) {
				body.put("error", outcome.error());
			}
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
		}
		UriComponentsBuilder location = UriComponentsBuilder.fromUriString(this.paths.returnTo(outcome.returnTo()))
			.queryParam("connection", outcome.connection().id())
			.queryParam("outcome", result);
		if (!outcome.isSuccess()) {
			location.queryParam("error", outcome.error());
		}
		return ResponseEntity.status(HttpStatus.FOUND)
			.header(HttpHeaders.LOCATION, location.build().encode().toUriString())
			.build();
	}

	/** The client ID metadata document, when the application is configured to serve one. */
	@GetMapping(path = "/client-metadata.json", produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Map<String, Object>> clientMetadata(HttpServletRequest request) {
		if (this.clientMetadataDocumentUrl == null) {
			return ResponseEntity.notFound().build();
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("client_id", this.clientMetadataDocumentUrl.toString());
		document.put("client_name", this.clientName);
		URI redirectUri = this.paths.redirectUri(request);
		document.put("redirect_uris", List.of(redirectUri.toString()));
		document.put("grant_types", List.of("authorization_code", "refresh_token"));
		document.put("response_types", List.of("code"));
		document.put("token_endpoint_auth_method", "none");
		document.put("application_type", ClientRegistrationResolver.applicationTypeFor(redirectUri));
		return ResponseEntity.ok(document);
	}

	private static boolean wantsJson(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return accept != null && accept.contains("application/json") && !accept.contains("text/html");
	}

}
