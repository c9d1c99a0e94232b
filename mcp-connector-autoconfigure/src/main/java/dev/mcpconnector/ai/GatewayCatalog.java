package dev.mcpconnector.ai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources, resource templates and prompts of a user's connections as the gateway shows
 * them. Through the gateway of all connections a prompt or resource is named
 * {@code <connection>__<name>} (the connection's prefix as {@link ToolNameMapper} makes it)
 * and a resource URI (or URI template) becomes {@code mcp-connector://<connection>/<uri>}, so a
 * read finds its connection again; through a per-connection endpoint both stay the server's
 * own. A connection that needs authorization or does not answer is skipped in a listing.
 */
final class GatewayCatalog {

	static final String URI_SCHEME = "mcp-connector://";

	private static final String SEPARATOR = "__";

	private static final Logger logger = LoggerFactory.getLogger(GatewayCatalog.class);

	private final McpConnectionService connections;

	private final McpToolExecutor executor;

	GatewayCatalog(McpConnectionService connections, McpToolExecutor executor) {
		this.connections = connections;
		this.executor = executor;
	}

	/** A connection with the prefix its qualified names carry. */
	record Exposed(UUID id, String name, String prefix) {
	}

	/** The owner's active connections the scope allows, each with a prefix unique among them. */
	List<Exposed> visible(McpOwner owner, GatewayScope scope) {
		List<McpConnection> active = this.connections.list(owner)
			.stream()
			.filter((c) -> c.status() == ConnectionStatus.ACTIVE)
			.toList();
		Map<String, Integer> counts = new HashMap<>();
		active.forEach((c) -> counts.merge(ToolNameMapper.sanitize(c.name(), "mcp"), 1, Integer::sum));
		List<Exposed> visible = new ArrayList<>();
		for (McpConnection connection : active) {
			String prefix = ToolNameMapper.sanitize(connection.name(), "mcp");
			if (counts.get(prefix) > 1) {
				prefix = prefix + "_" + connection.id().toString().substring(0, 8);
			}
			if (scope.allowsConnection(connection.name(), prefix)) {
				visible.add(new Exposed(connection.id(), connection.name(), prefix));
			}
		}
		return visible;
	}

	Optional<Exposed> find(McpOwner owner, GatewayScope scope, String prefix) {
		return visible(owner, scope).stream().filter((e) -> e.prefix().equals(prefix)).findFirst();
	}

	List<McpSchema.Resource> resources(McpOwner owner, GatewayScope scope) {
		return collect(owner, scope, (e) -> this.executor.listResources(owner, e.id())
			.stream()
			.map((r) -> new McpSchema.Resource(uri(scope, e, r.uri()), name(scope, e, r.name()), r.title(),
					r.description(), r.mimeType(), r.size(), r.annotations(), r.meta(), r.icons()))
			.toList());
	}

	List<McpSchema.ResourceTemplate> resourceTemplates(McpOwner owner, GatewayScope scope) {
		return collect(owner, scope, (e) -> this.executor.listResourceTemplates(owner, e.id())
			.stream()
			.map((t) -> new McpSchema.ResourceTemplate(uri(scope, e, t.uriTemplate()), name(scope, e, t.name()),
					t.title(), t.description(), t.mimeType(), t.annotations(), t.meta(), t.icons()))
			.toList());
	}

	List<McpSchema.Prompt> prompts(McpOwner owner, GatewayScope scope) {
		return collect(owner, scope, (e) -> this.executor.listPrompts(owner, e.id())
			.stream()
			.map((p) -> new McpSchema.Prompt(name(scope, e, p.name()), p.title(), p.description(), p.arguments(),
					p.meta(), p.icons()))
			.toList());
	}

	McpSchema.ReadResourceResult read(McpOwner owner, GatewayScope scope, String uri) {
		Target target = target(owner, scope, uri, true);
		McpSchema.ReadResourceResult result = this.executor.readResource(owner, target.connection().id(),
				target.name());
		List<McpSchema.ResourceContents> contents = new ArrayList<>();
		for (McpSchema.ResourceContents content : result.contents()) {
			if (content instanceof McpSchema.TextResourceContents text) {
				contents.add(new McpSchema.TextResourceContents(uri(scope, target.connection(), text.uri()),
						text.mimeType(), text.text(), text.meta()));
			}
			else if (content instanceof McpSchema.BlobResourceContents blob) {
				contents.add(new McpSchema.BlobResourceContents(uri(scope, target.connection(), blob.uri()),
						blob.mimeType(), blob.blob(), blob.meta()));
			}
			else {
				contents.add(content);
			}
		}
		return new McpSchema.ReadResourceResult(contents, result.meta());
	}

	McpSchema.GetPromptResult prompt(McpOwner owner, GatewayScope scope, String name, Map<String, Object> arguments) {
		Target target = target(owner, scope, name, false);
		return this.executor.getPrompt(owner, target.connection().id(), target.name(), arguments);
	}

	private record Target(Exposed connection, String name) {
	}

	/** The connection and the server's own name or URI of an exposed one. */
	private Target target(McpOwner owner, GatewayScope scope, String exposed, boolean uri) {
		List<Exposed> visible = visible(owner, scope);
		if (scope.single()) {
			return visible.stream()
				.findFirst()
				.map((e) -> new Target(e, exposed))
				.orElseThrow(() -> notFound(uri, exposed));
		}
		for (Exposed connection : visible) {
			String prefix = uri ? URI_SCHEME + connection.prefix() + "/" : connection.prefix() + SEPARATOR;
			if (exposed.startsWith(prefix) && exposed.length() > prefix.length()) {
				return new Target(connection, exposed.substring(prefix.length()));
			}
		}
		throw notFound(uri, exposed);
	}

	private static McpError notFound(boolean uri, String exposed) {
		// -32002 is the resource-not-found code of the MCP specification.
		return McpError.builder(uri ? -32002 : McpSchema.ErrorCodes.INVALID_PARAMS)
			.message((uri ? "Resource not found: " : "Unknown prompt: ") + exposed)
			.build();
	}

	private static String name(GatewayScope scope, Exposed connection, String name) {
		return scope.single() ? name : connection.prefix() + SEPARATOR + name;
	}

	private static String uri(GatewayScope scope, Exposed connection, String uri) {
		return (scope.single() || uri == null) ? uri : URI_SCHEME + connection.prefix() + "/" + uri;
	}

	private <T> List<T> collect(McpOwner owner, GatewayScope scope, Function<Exposed, List<T>> lister) {
		List<T> all = new ArrayList<>();
		for (Exposed connection : visible(owner, scope)) {
			try {
				all.addAll(lister.apply(connection));
			}
			catch (RuntimeException ex) {
				// Like tools(owner): one unreachable or unauthorized server does not hide the others.
				logger.debug("Skipping connection {} in a gateway listing: {}", connection.id(),
						ex.getClass().getSimpleName());
			}
		}
		return all;
	}

}
