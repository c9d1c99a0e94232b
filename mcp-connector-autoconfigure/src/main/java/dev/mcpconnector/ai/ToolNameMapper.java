package dev.mcpconnector.ai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.mcpconnector.execution.McpToolDescriptor;

import org.springframework.util.Assert;

/**
 * Names a user's tools for LLM providers. OpenAI function names and Anthropic tool names both
 * have to match {@code ^[a-zA-Z0-9_-]{1,64}$}; MCP tool and connection names don't. Each
 * descriptor gets {@code <connection>__<tool>}, sanitized (every other character becomes
 * {@code _}, runs of {@code _} collapse), and, when that is longer than 64 characters or
 * another descriptor would get the same name, cut and suffixed with {@code _} and a stable
 * 8-character hash of the connection id and the tool name.
 * <p>
 * Deterministic: the same descriptors (in any order) give the same names. Immutable, and
 * {@link #resolve(String)} maps an exported name back to its descriptor.
 */
public final class ToolNameMapper {

	/** What OpenAI function names and Anthropic tool names must match. */
	public static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

	/** The longest name both providers accept. */
	public static final int MAX_LENGTH = 64;

	private static final String SEPARATOR = "__";

	private static final int HASH_LENGTH = 8;

	private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9_-]");

	private static final Pattern UNDERSCORES = Pattern.compile("_{2,}");

	private static final Comparator<McpToolDescriptor> ORDER = Comparator
		.comparing((McpToolDescriptor d) -> String.valueOf(d.connectionId()))
		.thenComparing((d) -> String.valueOf(d.connectionName()))
		.thenComparing((d) -> String.valueOf(d.tool().name()))
		.thenComparing((d) -> String.valueOf(d.qualifiedName()))
		.thenComparing((d) -> String.valueOf(d.tool()));

	private final Map<String, McpToolDescriptor> byName;

	private final Map<McpToolDescriptor, String> byDescriptor;

	private ToolNameMapper(Map<String, McpToolDescriptor> byName, Map<McpToolDescriptor, String> byDescriptor) {
		this.byName = byName;
		this.byDescriptor = byDescriptor;
	}

	/**
	 * Names the given tools.
	 * @param descriptors the tools, typically {@code McpToolExecutor.tools(owner)}; equal
	 * descriptors are named once
	 * @return the mapper
	 */
	public static ToolNameMapper of(List<McpToolDescriptor> descriptors) {
		Assert.notNull(descriptors, "descriptors cannot be null");
		List<McpToolDescriptor> unique = new ArrayList<>(new LinkedHashSet<>(descriptors));
		unique.forEach((d) -> {
			Assert.notNull(d, "descriptors cannot contain null");
			Assert.notNull(d.tool(), "descriptor tool cannot be null");
		});
		// Sorting makes the names independent of the order the tools were listed in.
		List<McpToolDescriptor> sorted = new ArrayList<>(unique);
		sorted.sort(ORDER);
		Map<McpToolDescriptor, String> base = new HashMap<>();
		Map<String, Integer> counts = new HashMap<>();
		for (McpToolDescriptor descriptor : sorted) {
			String name = baseName(descriptor);
			base.put(descriptor, name);
			counts.merge(name, 1, Integer::sum);
		}
		// Names that need no hash are claimed first, so a hashed name never takes theirs.
		Set<String> taken = new HashSet<>();
		Map<McpToolDescriptor, String> assigned = new HashMap<>();
		for (McpToolDescriptor descriptor : sorted) {
			String name = base.get(descriptor);
			if (name.length() <= MAX_LENGTH && counts.get(name) == 1) {
				assigned.put(descriptor, name);
				taken.add(name);
			}
		}
		for (McpToolDescriptor descriptor : sorted) {
			if (assigned.containsKey(descriptor)) {
				continue;
			}
			String name = base.get(descriptor);
			String key = String.valueOf(descriptor.connectionId()) + '\n' + descriptor.tool().name();
			String candidate = withHash(name, hash(key));
			for (int salt = 1; taken.contains(candidate); salt++) {
				candidate = withHash(name, hash(key + '\n' + salt));
			}
			assigned.put(descriptor, candidate);
			taken.add(candidate);
		}
		Map<String, McpToolDescriptor> byName = new LinkedHashMap<>();
		Map<McpToolDescriptor, String> byDescriptor = new LinkedHashMap<>();
		for (McpToolDescriptor descriptor : unique) {
			String name = assigned.get(descriptor);
			byName.put(name, descriptor);
			byDescriptor.put(descriptor, name);
		}
		return new ToolNameMapper(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(byDescriptor));
	}

	/**
	 * The exported name of a tool.
	 * @param descriptor one of the descriptors the mapper was built from
	 * @return its name
	 * @throws IllegalArgumentException if the mapper doesn't know the descriptor
	 */
	public String nameOf(McpToolDescriptor descriptor) {
		String name = this.byDescriptor.get(descriptor);
		if (name == null) {
			throw new IllegalArgumentException("Unknown tool " + (descriptor != null ? descriptor.qualifiedName() : null));
		}
		return name;
	}

	/**
	 * The tool an exported name stands for, e.g. the name in a model's tool call.
	 * @param name the exported name
	 * @return the descriptor
	 * @throws IllegalArgumentException if no tool has that name
	 */
	public McpToolDescriptor resolve(String name) {
		return find(name).orElseThrow(() -> new IllegalArgumentException("Unknown tool name '" + name + "'"));
	}

	/**
	 * The tool an exported name stands for, if any.
	 * @param name the exported name
	 * @return the descriptor, or empty
	 */
	public Optional<McpToolDescriptor> find(String name) {
		return Optional.ofNullable((name != null) ? this.byName.get(name) : null);
	}

	/**
	 * The descriptors, in the order they were given (duplicates removed).
	 * @return the descriptors
	 */
	public List<McpToolDescriptor> descriptors() {
		return List.copyOf(this.byDescriptor.keySet());
	}

	/**
	 * The exported names, in the order of {@link #descriptors()}.
	 * @return the names
	 */
	public List<String> names() {
		return List.copyOf(this.byName.keySet());
	}

	public int size() {
		return this.byName.size();
	}

	@Override
	public String toString() {
		return "ToolNameMapper" + this.byName.keySet();
	}

	// ---------------------------------------------------------------- naming

	static String baseName(McpToolDescriptor descriptor) {
		String connection = sanitize(descriptor.connectionName(), "mcp");
		String tool = sanitize(descriptor.tool().name(), "tool");
		return connection + SEPARATOR + tool;
	}

	/**
	 * Replaces every character outside {@code [a-zA-Z0-9_-]} with {@code _}, collapses runs
	 * of {@code _} and trims {@code _} at both ends, so the {@code __} separator stays
	 * unambiguous.
	 */
	static String sanitize(String value, String fallback) {
		if (value == null) {
			return fallback;
		}
		String sanitized = INVALID.matcher(value).replaceAll("_");
		sanitized = UNDERSCORES.matcher(sanitized).replaceAll("_");
		int start = 0;
		int end = sanitized.length();
		while (start < end && sanitized.charAt(start) == '_') {
			start++;
		}
		while (end > start && sanitized.charAt(end - 1) == '_') {
			end--;
		}
		sanitized = sanitized.substring(start, end);
		return sanitized.isEmpty() ? fallback : sanitized;
	}

	private static String withHash(String name, String hash) {
		int keep = MAX_LENGTH - HASH_LENGTH - 1;
		String prefix = (name.length() > keep) ? name.substring(0, keep) : name;
		return prefix + "_" + hash;
	}

	private static String hash(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
			StringBuilder hex = new StringBuilder();
			for (int i = 0; i < HASH_LENGTH / 2; i++) {
				hex.append(String.format("%02x", digest[i]));
			}
			return hex.toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ToolNameMapper that) && this.byName.equals(that.byName);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.byName);
	}

}
