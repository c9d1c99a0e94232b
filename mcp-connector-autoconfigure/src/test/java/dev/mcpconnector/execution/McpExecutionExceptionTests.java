package dev.mcpconnector.execution;

import java.util.UUID;

import dev.mcpconnector.McpConnectorErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The execution side of telling timeouts apart (moved here when the type became internal). */
@Tag("fast")
class McpExecutionExceptionTests {

	private static final UUID CONNECTION_ID = UUID.fromString("6f1c1c0e-8d52-4a5e-9a7c-0c3a5b1f3a11");

	@Test
	void executionTimeoutIsTellableApartFromOtherFailuresByItsCode() {
		assertThat(McpExecutionException.timeout(CONNECTION_ID, "initialize").isTimeout()).isTrue();
		assertThat(McpExecutionException.timeout(CONNECTION_ID, "initialize").error())
			.isEqualTo(McpConnectorErrorCode.UPSTREAM_TIMEOUT);
		assertThat(new McpExecutionException(McpConnectorErrorCode.UPSTREAM_ERROR, CONNECTION_ID, -32603, "failed",
				null)
			.isTimeout()).isFalse();
	}

}
