package dev.mcpconnector.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.ai.McpGatewayTokens;
import dev.mcpconnector.connection.OwnerResolver;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's gateway tokens: create one (its secret is in this one response), list them (no
 * secret), revoke one. Authenticated by the host like the rest of the REST API, never by a
 * gateway token.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}/gateway/tokens")
class McpGatewayTokenController {

	private final McpGatewayTokens tokens;

	private final CurrentOwner currentOwner;

	McpGatewayTokenController(McpGatewayTokens tokens, OwnerResolver ownerResolver) {
		Assert.notNull(tokens, "tokens cannot be null");
		this.tokens = tokens;
		this.currentOwner = new CurrentOwner(ownerResolver);
	}

	@PostMapping
	ResponseEntity<Created> create(Authentication authentication, @RequestBody NewToken request) {
		McpGatewayTokens.Issued issued = this.tokens.create(this.currentOwner.of(authentication), request.name(),
				request.expiresAt(), request.connections(), request.toolGlobs());
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Cache-Control", "no-store")
			.body(new Created(TokenResponse.of(issued.token()), issued.secret()));
	}

	@GetMapping
	List<TokenResponse> list(Authentication authentication) {
		return this.tokens.list(this.currentOwner.of(authentication)).stream().map(TokenResponse::of).toList();
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(Authentication authentication, @PathVariable("id") String id) {
		this.tokens.revoke(this.currentOwner.of(authentication), parse(id));
		return ResponseEntity.noContent().build();
	}

	private static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.GATEWAY_TOKEN_NOT_FOUND, "No such gateway token");
		}
	}

	/**
	 * A token to create.
	 * @param name a label
	 * @param expiresAt when it stops working
	 * @param connections connection names it is limited to, or none for all
	 * @param toolGlobs tool globs it is limited to, or none for all
	 */
	record NewToken(String name, Instant expiresAt, List<String> connections, List<String> toolGlobs) {
	}

	/** A token as the API shows it: never its secret. */
	record TokenResponse(UUID id, String name, List<String> connections, List<String> toolGlobs, Instant createdAt,
			Instant expiresAt, Instant lastUsedAt) {

		static TokenResponse of(McpGatewayTokens.Token token) {
			return new TokenResponse(token.id(), token.name(), token.connections(), token.toolGlobs(),
					token.createdAt(), token.expiresAt(), token.lastUsedAt());
		}

	}

	/** The answer to a create: the token, and its secret this once. */
	record Created(TokenResponse token, String secret) {

		@Override
		public String toString() {
			return "Created[token=" + this.token + ", secret=(redacted)]";
		}

	}

}
