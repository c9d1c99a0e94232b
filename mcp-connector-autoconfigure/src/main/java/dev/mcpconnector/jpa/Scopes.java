package dev.mcpconnector.jpa;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/** Scopes as one space-separated column, sorted so equal sets store equal strings. */
final class Scopes {

	private Scopes() {
	}

	static String join(Collection<String> scopes) {
		if (scopes == null || scopes.isEmpty()) {
			return null;
		}
		return String.join(" ", new TreeSet<>(scopes));
	}

	static Set<String> split(String column) {
		if (column == null || column.isBlank()) {
			return Set.of();
		}
		return new LinkedHashSet<>(Arrays.asList(column.trim().split(" +")));
	}

}
