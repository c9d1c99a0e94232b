package dev.mcpconnector.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that ships in the jar documents every {@code mcp.connector.*}
 * property with a description, so IDEs can show it.
 */
@Tag("fast")
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescription() throws Exception {
		JsonNode metadata;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			// Besides our own namespace, Boot's processor documents our Actuator endpoint's settings.
			assertThat(name).matches("(mcp\\.connector\\.|management\\.endpoint\\.mcpconnectorkeys\\.).*");
			JsonNode description = property.get("description");
			assertThat(description).as("description of %s", name).isNotNull();
			assertThat(description.asString()).as("description of %s", name).hasSizeGreaterThan(10);
			if (property.get("type").asString().equals("java.lang.Boolean")) {
				assertThat(description.asString()).as("boolean %s", name).startsWith("Whether");
			}
			names.add(name);
		}
		assertThat(names).contains("mcp.connector.encryption.keys", "mcp.connector.encryption.active-key-id",
				"mcp.connector.owner.tenant-id", "mcp.connector.schema.migrate", "mcp.connector.schema.history-table",
				"mcp.connector.schema.name", "mcp.connector.web.enabled", "mcp.connector.web.base-path");
	}

}
