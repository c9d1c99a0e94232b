package dev.mcpconnector.ai;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import dev.mcpconnector.execution.McpToolDescriptor;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Tag("fast")
class ToolNameMapperTests {

	static final UUID GITHUB = UUID.fromString("00000000-0000-0000-0000-000000000001");

	static final UUID GITHUB_2 = UUID.fromString("00000000-0000-0000-0000-000000000002");

	static final UUID LINEAR = UUID.fromString("00000000-0000-0000-0000-000000000003");

	static final UUID WEIRD = UUID.fromString("00000000-0000-0000-0000-000000000004");

	static McpToolDescriptor descriptor(UUID connectionId, String connectionName, String toolName) {
		McpSchema.Tool tool = new McpSchema.Tool(toolName, null, "Does " + toolName,
				Map.of("type", "object", "properties", Map.of()), null, null, null);
		return new McpToolDescriptor(connectionId, connectionName, connectionName + "__" + toolName, tool);
	}

	/** Names that collide once sanitized, odd characters, unicode, very long names. */
	static List<McpToolDescriptor> awkward() {
		List<McpToolDescriptor> all = new ArrayList<>();
		String hundred = "x".repeat(100);
		for (UUID id : List.of(GITHUB, GITHUB_2)) {
			// two connections with the same name, the same tools
			all.add(descriptor(id, "GitHub", "create_issue"));
			all.add(descriptor(id, "GitHub", "list repos"));
			all.add(descriptor(id, "GitHub", hundred));
		}
		all.add(descriptor(LINEAR, "Linear", "create.issue"));
		all.add(descriptor(LINEAR, "Linear", "create issue"));
		all.add(descriptor(LINEAR, "Linear", "create/issue"));
		all.add(descriptor(LINEAR, "Linear", "create_issue"));
		all.add(descriptor(LINEAR, "Linear", "create__issue"));
		all.add(descriptor(LINEAR, "Linear", "créer_un_ticket"));
		all.add(descriptor(LINEAR, "Linear", "チケット作成"));
		all.add(descriptor(LINEAR, "Linear", "工具"));
		all.add(descriptor(LINEAR, "Linear", "🚀 launch"));
		all.add(descriptor(LINEAR, "Linear", "a".repeat(100)));
		all.add(descriptor(LINEAR, "Linear", "a".repeat(99) + "b"));
		all.add(descriptor(LINEAR, "Linear", "a".repeat(100) + "b"));
		all.add(descriptor(LINEAR, "Linear", "_"));
		all.add(descriptor(LINEAR, "Linear", ""));
		all.add(descriptor(LINEAR, "Linear", "tool"));
		all.add(descriptor(LINEAR, "Linear", "-dash-"));
		all.add(descriptor(WEIRD, "Mein Server (prod) 🚀 — " + "ü".repeat(80), "get"));
		all.add(descriptor(WEIRD, "Mein Server (prod) 🚀 — " + "ü".repeat(80), "set"));
		all.add(descriptor(WEIRD, "Mein Server (prod) 🚀 — " + "ü".repeat(80), "ünïcödé tööl"));
		all.add(descriptor(WEIRD, null, "no connection name"));
		all.add(descriptor(WEIRD, "   ", "blank connection name"));
		// a tool whose name looks like a hashed name of another tool
		ToolNameMapper probe = ToolNameMapper.of(List.of(descriptor(GITHUB, "GitHub", "create_issue"),
				descriptor(GITHUB_2, "GitHub", "create_issue")));
		for (String name : probe.names()) {
			all.add(descriptor(LINEAR, name.substring(0, name.indexOf("__")), name.substring(name.indexOf("__") + 2)));
		}
		return all;
	}

	@Test
	void everyNameIsValidDistinctAndRoundTrips() {
		List<McpToolDescriptor> descriptors = awkward();
		ToolNameMapper mapper = ToolNameMapper.of(descriptors);
		assertThat(mapper.size()).isEqualTo(descriptors.size());
		Set<String> seen = new HashSet<>();
		for (McpToolDescriptor descriptor : descriptors) {
			String name = mapper.nameOf(descriptor);
			assertThat(name).matches(ToolNameMapper.NAME_PATTERN);
			assertThat(name).matches("^[a-zA-Z0-9_-]{1,64}$");
			assertThat(seen.add(name)).as("duplicate name %s", name).isTrue();
			assertThat(mapper.resolve(name)).isSameAs(descriptor);
			assertThat(mapper.find(name)).containsSame(descriptor);
		}
		assertThat(mapper.names()).containsExactlyElementsOf(descriptors.stream().map(mapper::nameOf).toList());
		assertThat(mapper.descriptors()).containsExactlyElementsOf(descriptors);
	}

	@Test
	void plainNamesStayReadable() {
		ToolNameMapper mapper = ToolNameMapper.of(List.of(descriptor(LINEAR, "Linear", "create_issue"),
				descriptor(LINEAR, "Linear", "list issues"), descriptor(GITHUB, "my-github", "search.code")));
		assertThat(mapper.names()).containsExactly("Linear__create_issue", "Linear__list_issues",
				"my-github__search_code");
	}

	@Test
	void collidingAndLongNamesGetAHashSuffix() {
		McpToolDescriptor first = descriptor(GITHUB, "GitHub", "create_issue");
		McpToolDescriptor second = descriptor(GITHUB_2, "GitHub", "create_issue");
		McpToolDescriptor unrelated = descriptor(LINEAR, "Linear", "create_issue");
		McpToolDescriptor longName = descriptor(LINEAR, "Linear", "a".repeat(100));
		ToolNameMapper mapper = ToolNameMapper.of(List.of(first, second, unrelated, longName));
		assertThat(mapper.nameOf(first)).matches("GitHub__create_issue_[0-9a-f]{8}");
		assertThat(mapper.nameOf(second)).matches("GitHub__create_issue_[0-9a-f]{8}");
		assertThat(mapper.nameOf(first)).isNotEqualTo(mapper.nameOf(second));
		assertThat(mapper.nameOf(unrelated)).isEqualTo("Linear__create_issue");
		assertThat(mapper.nameOf(longName)).hasSize(64).startsWith("Linear__aaaa").matches(".*_[0-9a-f]{8}");
	}

	@Test
	void namesAreDeterministicAndIndependentOfOrder() {
		List<McpToolDescriptor> descriptors = awkward();
		ToolNameMapper mapper = ToolNameMapper.of(descriptors);
		for (long seed = 0; seed < 5; seed++) {
			List<McpToolDescriptor> shuffled = new ArrayList<>(descriptors);
			Collections.shuffle(shuffled, new Random(seed));
			ToolNameMapper other = ToolNameMapper.of(shuffled);
			for (McpToolDescriptor descriptor : descriptors) {
				assertThat(other.nameOf(descriptor)).isEqualTo(mapper.nameOf(descriptor));
			}
			assertThat(other).isEqualTo(ToolNameMapper.of(shuffled));
		}
		// a tool keeps its name when an unrelated tool comes or goes
		McpToolDescriptor extra = descriptor(UUID.randomUUID(), "Other", "thing");
		List<McpToolDescriptor> more = new ArrayList<>(descriptors);
		more.add(extra);
		ToolNameMapper bigger = ToolNameMapper.of(more);
		for (McpToolDescriptor descriptor : descriptors) {
			assertThat(bigger.nameOf(descriptor)).isEqualTo(mapper.nameOf(descriptor));
		}
	}

	@Test
	void unknownNamesAndDescriptorsAreRejected() {
		ToolNameMapper mapper = ToolNameMapper.of(List.of(descriptor(LINEAR, "Linear", "create_issue")));
		assertThat(mapper.find("Linear__nope")).isEmpty();
		assertThat(mapper.find(null)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> mapper.resolve("Linear__nope"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> mapper.nameOf(descriptor(LINEAR, "Linear", "other")));
	}

	@Test
	void isImmutable() {
		List<McpToolDescriptor> descriptors = new ArrayList<>(List.of(descriptor(LINEAR, "Linear", "a")));
		ToolNameMapper mapper = ToolNameMapper.of(descriptors);
		descriptors.add(descriptor(LINEAR, "Linear", "b"));
		assertThat(mapper.size()).isEqualTo(1);
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> mapper.names().add("x"));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> mapper.descriptors().clear());
	}

	@Test
	void equalDescriptorsAreNamedOnce() {
		McpToolDescriptor one = descriptor(LINEAR, "Linear", "a");
		ToolNameMapper mapper = ToolNameMapper.of(List.of(one, descriptor(LINEAR, "Linear", "a")));
		assertThat(mapper.names()).containsExactly("Linear__a");
	}

}
