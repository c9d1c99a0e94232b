package dev.mcpconnector.egress;

import dev.mcpconnector.McpConnectorErrorCode;

import dev.mcpconnector.McpConnectorException;

/**
 * An outbound request was refused by the {@link EgressPolicy}: a scheme other than https, or a
 * host that resolves to a loopback, private, link-local or otherwise internal address. The
 * message names the rule, never an address the host resolved to.
 */
public class EgressDeniedException extends McpConnectorException {

	public EgressDeniedException(String message) {
		super(McpConnectorErrorCode.EGRESS_DENIED, message);
	}

}
