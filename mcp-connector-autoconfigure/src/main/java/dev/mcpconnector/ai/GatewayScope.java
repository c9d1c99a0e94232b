package dev.mcpconnector.ai;

import java.util.List;
import java.util.Set;

import org.springframework.util.PatternMatchUtils;

/**
 * What one gateway request may reach of its owner's connections: all of them, or the one
 * connection of a per-connection endpoint, narrowed further by a gateway token's connection
 * names and tool globs.
 *
 * @param connection the connection prefix of a per-connection endpoint, or {@code null} for the
 * gateway of all connections
 * @param connections names (display name or prefix) a token is limited to; empty for all
 * @param toolGlobs globs ({@code *} wildcards) over the exported or the server's own tool name
 * a token is limited to; empty for all
 */
record GatewayScope(String connection, Set<String> connections, List<String> toolGlobs) {

	static final GatewayScope ALL = new GatewayScope(null, Set.of(), List.of());

	GatewayScope {
		connections = Set.copyOf(connections);
		toolGlobs = List.copyOf(toolGlobs);
	}

	GatewayScope narrowedTo(String connectionPrefix) {
		return new GatewayScope(connectionPrefix, this.connections, this.toolGlobs);
	}

	/** Whether names are the servers' own (one connection) rather than qualified. */
	boolean single() {
		return this.connection != null;
	}

	boolean allowsConnection(String name, String prefix) {
		if (this.connection != null && !this.connection.equals(prefix)) {
			return false;
		}
		return this.connections.isEmpty() || this.connections.contains(name) || this.connections.contains(prefix);
	}

	boolean allowsTool(String exportedName, String toolName) {
		return this.toolGlobs.isEmpty() || this.toolGlobs.stream()
			.anyMatch((glob) -> PatternMatchUtils.simpleMatch(glob, exportedName)
					|| PatternMatchUtils.simpleMatch(glob, toolName));
	}

}
