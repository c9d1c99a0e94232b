package dev.mcpconnector.web;

import java.util.List;
import java.util.UUID;

import dev.mcpconnector.connection.ConnectionNotFoundException;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.OwnerResolver;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connections of the authenticated user. Every id that is not one of the caller's own
 * connections (another user's, a nonexistent or a malformed one) answers the same 404.
 */
@RestController
@RequestMapping("${mcp.connector.web.base-path:/api/mcp}/connections")
public class McpConnectionController {

	private final McpConnectionService connections;

	private final CurrentOwner currentOwner;

	public McpConnectionController(McpConnectionService connections, OwnerResolver ownerResolver) {
		Assert.notNull(connections, "connections cannot be null");
		this.connections = connections;
		this.currentOwner = new CurrentOwner(ownerResolver);
	}

	@GetMapping
	public List<ConnectionResponse> list(Authentication authentication) {
		return this.connections.list(this.currentOwner.of(authentication))
			.stream()
			.map(ConnectionResponse::of)
			.toList();
	}

	@GetMapping("/{id}")
	public ConnectionResponse get(Authentication authentication, @PathVariable("id") String id) {
		return ConnectionResponse.of(this.connections.get(this.currentOwner.of(authentication), parseId(id)));
	}

	@DeleteMapping("/{id}")
	public ResponseEntity<Void> delete(Authentication authentication, @PathVariable("id") String id) {
		this.connections.delete(this.currentOwner.of(authentication), parseId(id));
		return ResponseEntity.noContent().build();
	}

	static UUID parseId(String id) {
		try {
			UUID uuid = UUID.fromString(id);
			if (uuid.toString().equalsIgnoreCase(id)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through: a malformed id is as unknown as a nonexistent one
		}
		throw new ConnectionNotFoundException(null);
	}

}
