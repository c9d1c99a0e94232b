package dev.mcpconnector.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.egress.EgressResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading metadata documents: JSON objects, their text fields and URLs, protected resource metadata. */
final class MetadataDocuments {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MetadataDocuments() {
	}

	static ProtectedResourceMetadata parseResource(URI url, EgressResponse response) {
		JsonNode node = readJson(response, "protected resource metadata");
		String resource = text(node, "resource");
		if (resource == null) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "Protected resource metadata at " + url + " has no resource");
		}
		List<String> servers = new ArrayList<>();
		JsonNode list = node.get("authorization_servers");
		if (list != null && list.isArray()) {
			for (JsonNode server : list) {
				if (server.isString() && !server.asString().isBlank()) {
					servers.add(server.asString());
				}
			}
		}
		if (servers.isEmpty()) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "Protected resource metadata at " + url + " names no authorization server");
		}
		Set<String> scopes = new LinkedHashSet<>();
		JsonNode scopeList = node.get("scopes_supported");
		if (scopeList != null && scopeList.isArray()) {
			scopeList.forEach((scope) -> {
				if (scope.isString()) {
					scopes.add(scope.asString());
				}
			});
		}
		return new ProtectedResourceMetadata(url, parseUrl(resource, "resource"), servers, scopes);
	}

	static JsonNode readJson(EgressResponse response, String what) {
		try {
			JsonNode node = JSON.readTree(response.body());
			if (node == null || !node.isObject()) {
				throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "The " + what + " at " + response.uri() + " is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "The " + what + " at " + response.uri() + " is not valid JSON");
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString() && !value.asString().isBlank()) ? value.asString() : null;
	}

	static URI parseUrl(String value, String what) {
		try {
			URI uri = new URI(value);
			if (!uri.isAbsolute() || uri.getHost() == null) {
				throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "The " + what + " is not an absolute URL");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.DISCOVERY_FAILED, "The " + what + " is not a valid URL");
		}
	}

	/**
	 * The metadata's resource must be the server itself, or the server's origin or a path above
	 * it on the same origin (compared segment by segment, after canonicalization).
	 */
	static void checkResource(URI serverUrl, URI resource) {
		URI server = McpConnection.resourceUriOf(serverUrl);
		URI claimed;
		try {
			claimed = McpConnection.resourceUriOf(resource.toString());
		}
		catch (RuntimeException ex) {
			throw new McpConnectorException(McpConnectorErrorCode.RESOURCE_METADATA_MISMATCH,
					"Protected resource metadata names an invalid resource");
		}
		if (claimed.equals(server)) {
			return;
		}
		boolean sameOrigin = origin(claimed).equals(origin(server)) && claimed.getRawQuery() == null;
		String claimedPath = trimTrailingSlash(claimed.getRawPath());
		String serverPath = trimTrailingSlash(server.getRawPath());
		if (sameOrigin && (claimedPath.isEmpty() || serverPath.startsWith(claimedPath + "/"))) {
			return;
		}
		throw new McpConnectorException(McpConnectorErrorCode.RESOURCE_METADATA_MISMATCH,
				"Protected resource metadata describes " + claimed + ", not the server " + server);
	}

	static String origin(URI uri) {
		return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority();
	}

	static String trimTrailingSlash(String path) {
		if (path == null) {
			return "";
		}
		String trimmed = path;
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

}
