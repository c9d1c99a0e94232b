package dev.mcpconnector.autoconfigure;

import org.springframework.util.Assert;

/**
 * A {@code mcp.connector.*} property whose value cannot work, found when the properties are
 * bound. The message names the property and the rule; it never holds a secret value.
 */
class InvalidMcpConnectorPropertyException extends IllegalStateException {

	private final String property;

	private final String reason;

	/**
	 * Create an exception.
	 * @param property the full property name, for example {@code mcp.connector.web.base-path}
	 * @param reason what the value must be, starting lower case, for example
	 * {@code "must start with '/'"}; include the offending value only when it is no secret
	 */
	InvalidMcpConnectorPropertyException(String property, String reason) {
		super(property + " " + reason);
		Assert.hasText(property, "property cannot be empty");
		Assert.hasText(reason, "reason cannot be empty");
		this.property = property;
		this.reason = reason;
	}

	/** The full name of the invalid property. */
	String property() {
		return this.property;
	}

	/** What the value must be. */
	String reason() {
		return this.reason;
	}

}
