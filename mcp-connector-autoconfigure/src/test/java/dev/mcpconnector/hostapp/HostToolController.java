package dev.mcpconnector.hostapp;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpconnector.execution.McpToolExecutor;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host application's own controller that calls the executor for the current user and lets
 * connector exceptions escape, as a user of the starter would write it first.
 */
@RestController
class HostToolController {

	private final McpToolExecutor executor;

	HostToolController(McpToolExecutor executor) {
		this.executor = executor;
	}

	@PostMapping("/host/connections/{id}/tools/{tool}")
	List<McpSchema.Content> call(@PathVariable UUID id, @PathVariable String tool,
			@RequestBody Map<String, Object> arguments) {
		return this.executor.forCurrentUser().callTool(id, tool, arguments).content();
	}

}
