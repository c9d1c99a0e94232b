package dev.mcpconnector.execution;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.policy.ToolPolicy;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.util.Assert;

/**
 * A tool call as the {@link ToolCallInterceptor}s see it: who calls which tool of which
 * connection with which arguments, and what governance decided so far (the policy's
 * {@linkplain #decision() decision}, whether an approval was {@linkplain #isApproved() given}).
 * {@link #toString()} leaves the arguments out.
 */
public final class ToolCallContext {

	private final McpOwner owner;

	private final UUID connectionId;

	private final String toolName;

	private final McpSchema.Tool tool;

	private final Map<String, Object> arguments;

	private final String connectionName;

	private final URI serverUrl;

	private volatile ToolPolicy.Decision decision = ToolPolicy.Decision.ALLOW;

	private volatile boolean approved;

	/**
	 * A call whose connection's name and server host are unknown.
	 * @param owner the caller
	 * @param connectionId the connection
	 * @param toolName the tool's name
	 * @param tool the tool's description, or {@code null}
	 * @param arguments the arguments
	 */
	public ToolCallContext(McpOwner owner, UUID connectionId, String toolName, McpSchema.Tool tool,
			Map<String, Object> arguments) {
		this(owner, connectionId, toolName, tool, arguments, null, null);
	}

	/**
	 * @param owner the caller
	 * @param connectionId the connection
	 * @param toolName the tool's name
	 * @param tool the tool's description from the server (annotations included), or
	 * {@code null} when the server does not list it, or when nothing declared it needs it
	 * ({@link ToolCallInterceptor#needsToolDefinition()}) and the session has not listed its
	 * tools yet
	 * @param arguments the arguments
	 * @param connectionName the connection's display name (the user's choice: never a basis for
	 * a decision), or {@code null}
	 * @param serverUrl the canonical URL of the connection's server, or {@code null}
	 */
	public ToolCallContext(McpOwner owner, UUID connectionId, String toolName, McpSchema.Tool tool,
			Map<String, Object> arguments, String connectionName, URI serverUrl) {
		Assert.notNull(owner, "owner cannot be null");
		this.owner = owner;
		this.connectionId = connectionId;
		this.toolName = toolName;
		this.tool = tool;
		this.arguments = (arguments != null) ? arguments : Map.of();
		this.connectionName = connectionName;
		this.serverUrl = serverUrl;
	}

	public McpOwner owner() {
		return this.owner;
	}

	public UUID connectionId() {
		return this.connectionId;
	}

	public String toolName() {
		return this.toolName;
	}

	public McpSchema.Tool tool() {
		return this.tool;
	}

	public Map<String, Object> arguments() {
		return this.arguments;
	}

	public String connectionName() {
		return this.connectionName;
	}

	/**
	 * The host of the connection's server.
	 * @return the host of {@link #serverUrl()}, or {@code null}
	 */
	public String serverHost() {
		return (this.serverUrl != null) ? this.serverUrl.getHost() : null;
	}

	/**
	 * The canonical URL of the connection's server (RFC 8707 resource form), what governance
	 * rules match.
	 * @return the URL, or {@code null}
	 */
	public URI serverUrl() {
		return this.serverUrl;
	}

	/**
	 * The policy's decision, {@link ToolPolicy.Decision#ALLOW} until a policy interceptor decided.
	 * @return the decision
	 */
	public ToolPolicy.Decision decision() {
		return this.decision;
	}

	/**
	 * Record the policy's decision (what the policy interceptor does).
	 * @param decision the decision
	 */
	public void decide(ToolPolicy.Decision decision) {
		Assert.notNull(decision, "decision cannot be null");
		this.decision = decision;
	}

	/**
	 * Whether a call that needs approval got one. A call the policy sent to approval that no
	 * interceptor approved is refused before it reaches the server.
	 * @return whether approved
	 */
	public boolean isApproved() {
		return this.approved;
	}

	/** Record that a human approved this call (what the approval interceptor does). */
	public void approve() {
		this.approved = true;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ToolCallContext that) && this.owner.equals(that.owner)
				&& Objects.equals(this.connectionId, that.connectionId) && Objects.equals(this.toolName, that.toolName)
				&& Objects.equals(this.tool, that.tool) && this.arguments.equals(that.arguments);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.owner, this.connectionId, this.toolName, this.tool, this.arguments);
	}

	@Override
	public String toString() {
		return "ToolCallContext[owner=" + this.owner + ", connectionId=" + this.connectionId + ", toolName="
				+ this.toolName + "]";
	}

}
