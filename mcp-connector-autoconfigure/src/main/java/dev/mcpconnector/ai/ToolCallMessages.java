package dev.mcpconnector.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import dev.mcpconnector.approval.ApprovalPendingException;
import dev.mcpconnector.authorization.AuthorizationRequiredException;
import dev.mcpconnector.ratelimit.RateLimitExceededException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model (or an MCP client of the gateway) reads back from a tool call: the result as
 * text, or a failure as a small JSON object it can act on instead of an exception that ends
 * the conversation.
 * <p>
 * A failure reads {@code {"error": "<code>", "message": "...", ...}} with the connector's
 * stable error code ({@code approval-pending}, {@code approval-denied}, {@code tool-denied},
 * {@code rate-limited}, {@code authorization-required}, {@code upstream-timeout}, ...) and, when
 * useful, {@code approvalId} or {@code retryAfterSeconds}. Messages come from
 * {@link McpConnectorException}s, which never carry a token or secret; the text of any other
 * exception is never shown, nor is an authorization URL.
 */
final class ToolCallMessages {

	private static final Logger logger = LoggerFactory.getLogger(ToolCallMessages.class);

	private ToolCallMessages() {
	}

	/**
	 * A tool result as text: the text contents, one per line; any other content (images,
	 * resources) as its JSON; the structured content when there is no content. A result
	 * flagged {@code isError} becomes a {@code tool-error} failure object with that text.
	 * @param result the result
	 * @return the text
	 */
	static String text(McpSchema.CallToolResult result) {
		List<String> parts = new ArrayList<>();
		if (result.content() != null) {
			for (McpSchema.Content content : result.content()) {
				parts.add((content instanceof McpSchema.TextContent text) ? text.text() : json(content));
			}
		}
		if (parts.isEmpty() && result.structuredContent() != null) {
			parts.add(json(result.structuredContent()));
		}
		String text = String.join("\n", parts);
		if (Boolean.TRUE.equals(result.isError())) {
			return failure("tool-error", text.isEmpty() ? "The tool reported an error" : text, Map.of());
		}
		return text;
	}

	/**
	 * A failed call as a failure object (see the class description).
	 * @param ex what the executor threw
	 * @return the JSON text
	 */
	static String failure(RuntimeException ex) {
		if (!(ex instanceof McpConnectorException typed)) {
			logger.warn("A tool call failed unexpectedly: {}", ex.getClass().getName());
			return failure("internal-error", "The tool call failed unexpectedly", Map.of());
		}
		Map<String, Object> extra = new LinkedHashMap<>();
		String message;
		if (typed instanceof ApprovalPendingException pending) {
			extra.put("approvalId", String.valueOf(pending.approvalId()));
			message = "This call waits for a human approval (request " + pending.approvalId() + "). It has not run."
					+ " Tell the user to approve it in the application, then call the tool again with the same"
					+ " arguments.";
		}
		else if (typed.error() == McpConnectorErrorCode.APPROVAL_DENIED) {
			message = "A human denied this call. It has not run; do not retry it unless the user asks.";
		}
		else if (typed.error() == McpConnectorErrorCode.TOOL_DENIED) {
			message = "The application's policy does not allow this tool for this user.";
		}
		else if (typed instanceof RateLimitExceededException limited) {
			extra.put("retryAfterSeconds", limited.retryAfterSeconds());
			message = "Too many tool calls; retry after " + limited.retryAfterSeconds() + " s.";
		}
		else if (typed instanceof AuthorizationRequiredException required) {
			extra.put("connectionId", String.valueOf(required.connectionId()));
			message = "The user must authorize this connection again in the application before its tools"
					+ " can be used.";
		}
		else if (typed.error() == McpConnectorErrorCode.UPSTREAM_TIMEOUT) {
			message = "The MCP server did not answer in time.";
		}
		else {
			message = typed.getMessage();
		}
		return failure(typed.errorCode(), message, extra);
	}

	private static String failure(String code, String message, Map<String, Object> extra) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", code);
		body.put("message", message);
		body.putAll(extra);
		return json(body);
	}

	private static String json(Object value) {
		try {
			return McpJsonDefaults.getMapper().writeValueAsString(value);
		}
		catch (java.io.IOException ex) {
			return String.valueOf(value);
		}
	}

}
