package dev.mcpconnector.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@code mcp.connector.*} property that failed its check when bound: which one, what
 * it must be, and where the full list is.
 */
class InvalidMcpConnectorPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMcpConnectorPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidMcpConnectorPropertyException cause) {
		String description = """
				mcp-connector's configuration is invalid:

				    Property: %s
				    Reason:   %s""".formatted(cause.property(), cause.reason());
		String action = """
				Correct %s in the application's configuration (application.properties or .yml, or the \
				environment variable %s). The README's configuration table lists every mcp.connector.* \
				property with its default.""".formatted(cause.property(), environmentVariable(cause.property()));
		return new FailureAnalysis(description, action, cause);
	}

	private static String environmentVariable(String property) {
		return property.replaceAll("[.\\-\\[\\]]+", "_").replaceAll("_$", "").toUpperCase(java.util.Locale.ROOT);
	}

}
