package dev.mcpconnector.ai;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.execution.McpUserTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.util.Assert;

/**
 * The tools of the current user's MCP connections as Spring AI tool callbacks: hand them to a
 * {@code ChatClient} request ({@code .toolCallbacks(callbacks.getToolCallbacks())}) and the
 * model sees exactly the tools this user connected and may use.
 * <p>
 * Deliberately not a {@link ToolCallbackProvider} bean: Spring AI's auto-configuration collects
 * every such bean once into a shared resolver, which would keep the callbacks of whichever user
 * happened to be signed in then.
 * <p>
 * <b>Who the current user is.</b> The provider is one shared bean; it holds no user. Each
 * {@link #getToolCallbacks()} resolves the user of the calling thread's Spring Security
 * context (through {@link McpToolExecutor#forCurrentUser()} and the {@code OwnerResolver}),
 * lists that user's allowed tools, and returns callbacks <em>bound to that user</em>.  Call it on
 * the caller's (the web request's) thread, so the binding happens there; the tool calls may
 * then run on any thread, a streaming response's included. Without an authenticated
 * user (for example when Spring AI's own auto-configuration inspects the bean at start-up)
 * there are no callbacks. For code outside a request (jobs, {@code @Async}), pass the user
 * explicitly: {@link #forOwner(McpOwner)} or {@link #toolCallbacks(McpUserTools)}.
 * <p>
 * Names come from {@link ToolNameMapper} ({@code <connection>__<tool>}, valid for OpenAI and
 * Anthropic), schemas from {@link dev.mcpconnector.ai.ToolSchemas}. Tools the policy denies
 * are not listed; tools that need an approval are, and calling them answers that an approval
 * is pending.
 */
public class McpToolCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(McpToolCallbacks.class);

	private final McpToolExecutor executor;

	public McpToolCallbacks(McpToolExecutor executor) {
		Assert.notNull(executor, "executor cannot be null");
		this.executor = executor;
	}

	/**
	 * The current user's tools, or none without an authenticated user.
	 * @return callbacks bound to the current user
	 */
	public ToolCallback[] getToolCallbacks() {
		McpUserTools tools;
		try {
			tools = this.executor.forCurrentUser();
		}
		catch (McpToolExecutor.AuthenticationRequiredException ex) {
			logger.debug("No authenticated user: no MCP tool callbacks");
			return new ToolCallback[0];
		}
		return toolCallbacks(tools);
	}

	/**
	 * One user's tools.
	 * @param tools the user's view of the executor
	 * @return callbacks bound to that user
	 */
	public ToolCallback[] toolCallbacks(McpUserTools tools) {
		Assert.notNull(tools, "tools cannot be null");
		ToolNameMapper names = ToolNameMapper.of(tools.tools());
		return names.descriptors()
			.stream()
			.map((descriptor) -> new McpToolCallback(tools, descriptor, names.nameOf(descriptor)))
			.toArray(ToolCallback[]::new);
	}

	/**
	 * A provider for one given user, for code that runs outside that user's request.
	 * @param owner the user
	 * @return a provider whose callbacks are that user's
	 */
	public ToolCallbackProvider forOwner(McpOwner owner) {
		Assert.notNull(owner, "owner cannot be null");
		McpUserTools tools = this.executor.forOwner(owner);
		return () -> toolCallbacks(tools);
	}

}
