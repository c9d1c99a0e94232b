package dev.mcpconnector.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Guard clauses for bound properties: each throws an
 * {@link InvalidMcpConnectorPropertyException} that names the property.
 */
final class PropertyChecks {

	/** An unquoted SQL identifier, as PostgreSQL accepts it without quotes. */
	private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private PropertyChecks() {
	}

	static void hasText(String property, String value) {
		if (!StringUtils.hasText(value)) {
			throw new InvalidMcpConnectorPropertyException(property, "cannot be empty");
		}
	}

	static void notNull(String property, Object value) {
		if (value == null) {
			throw new InvalidMcpConnectorPropertyException(property, "must be set");
		}
	}

	static void positive(String property, Duration value) {
		notNull(property, value);
		if (value.isZero() || value.isNegative()) {
			throw new InvalidMcpConnectorPropertyException(property, "must be positive, but was " + value);
		}
	}

	static void notNegative(String property, Duration value) {
		notNull(property, value);
		if (value.isNegative()) {
			throw new InvalidMcpConnectorPropertyException(property, "cannot be negative, but was " + value);
		}
	}

	static void between(String property, Duration value, Duration min, Duration max) {
		notNull(property, value);
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new InvalidMcpConnectorPropertyException(property,
					"must be between " + min + " and " + max + ", but was " + value);
		}
	}

	static void positive(String property, long value) {
		if (value <= 0) {
			throw new InvalidMcpConnectorPropertyException(property, "must be positive, but was " + value);
		}
	}

	static void notNegative(String property, long value) {
		if (value < 0) {
			throw new InvalidMcpConnectorPropertyException(property, "cannot be negative, but was " + value);
		}
	}

	static void positive(String property, DataSize value) {
		notNull(property, value);
		positive(property, value.toBytes());
	}

	static void absolute(String property, URI value) {
		if (value != null && !value.isAbsolute()) {
			throw new InvalidMcpConnectorPropertyException(property, "must be an absolute URL, but was '" + value + "'");
		}
	}

	static void sqlIdentifier(String property, String value) {
		if (value != null && !SQL_IDENTIFIER.matcher(value).matches()) {
			throw new InvalidMcpConnectorPropertyException(property,
					"must be a plain SQL identifier (letters, digits and '_', not starting with a digit, at most 63),"
							+ " but was '" + value + "'");
		}
	}

}
