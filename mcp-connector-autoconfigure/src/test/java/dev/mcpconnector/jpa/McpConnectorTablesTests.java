package dev.mcpconnector.jpa;

import java.util.HashMap;
import java.util.Map;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The table names and their schema, and the naming strategy that moves only mcp-connector's
 * entities: no database, no Spring context.
 */
@Tag("fast")
class McpConnectorTablesTests {

	private static final Identifier OUR_SCHEMA = Identifier.toIdentifier(McpConnectorTables.ENTITY_SCHEMA);

	@Test
	void inSchemaWhenEmptyThenNamesAreUnqualified() {
		for (McpConnectorTables tables : new McpConnectorTables[] { McpConnectorTables.inSchema(null),
				McpConnectorTables.inSchema(""), McpConnectorTables.inSchema("  "),
				McpConnectorTables.inDefaultSchema() }) {
			assertThat(tables.schema()).isNull();
			assertThat(tables.connection()).isEqualTo("mcp_connection");
			assertThat(tables.auditEvent()).isEqualTo("mcp_audit_event");
		}
	}

	@Test
	void inSchemaWhenSetThenEveryTableIsQualified() {
		McpConnectorTables tables = McpConnectorTables.inSchema("mcp_tenant_x");
		assertThat(tables.schema()).isEqualTo("mcp_tenant_x");
		assertThat(McpConnectorTables.names()).hasSize(8)
			.allSatisfy((table) -> assertThat(tables.qualify(table)).isEqualTo("mcp_tenant_x." + table));
		assertThat(tables.credentials()).isEqualTo("mcp_tenant_x.mcp_connection_credentials");
		assertThat(tables.clientRegistration()).isEqualTo("mcp_tenant_x.mcp_client_registration");
		assertThat(tables.pendingAuthorization()).isEqualTo("mcp_tenant_x.mcp_pending_authorization");
		assertThat(tables.rateLimitBucket()).isEqualTo("mcp_tenant_x.mcp_rate_limit_bucket");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Tenant", "tenant-x", "a.b", "1tenant", "x; drop table mcp_connection", "\"quoted\"",
			"schema name", McpConnectorTables.ENTITY_SCHEMA,
			"a234567890123456789012345678901234567890123456789012345678901234" })
	void inSchemaWhenNotAPlainLowerCaseIdentifierThenRefused(String schema) {
		assertThatIllegalArgumentException().isThrownBy(() -> McpConnectorTables.inSchema(schema));
	}

	@Test
	void qualifyWhenNotOurTableThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> McpConnectorTables.inSchema("mcp_tenant_x").qualify("notes"));
	}

	@Test
	void applyToWhenSchemaSetThenOnlyOurEntitiesMove() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, new PrefixingStrategy());
		McpConnectorTables.inSchema("mcp_tenant_x").applyTo(properties);
		PhysicalNamingStrategy strategy = (PhysicalNamingStrategy) properties
			.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
		assertThat(strategy.toPhysicalSchemaName(OUR_SCHEMA, null)).isEqualTo(Identifier.toIdentifier("mcp_tenant_x"));
		// The host's names still go through the host's strategy.
		assertThat(strategy.toPhysicalSchemaName(Identifier.toIdentifier("sales"), null))
			.isEqualTo(Identifier.toIdentifier("host_sales"));
		assertThat(strategy.toPhysicalSchemaName(null, null)).isNull();
		assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("notes"), null))
			.isEqualTo(Identifier.toIdentifier("host_notes"));
		assertThat(strategy.toPhysicalColumnName(Identifier.toIdentifier("text"), null))
			.isEqualTo(Identifier.toIdentifier("host_text"));
	}

	@Test
	void applyToWhenNoSchemaThenOurEntitiesUseTheDefaultNamespace() {
		Map<String, Object> properties = new HashMap<>();
		McpConnectorTables.inDefaultSchema().applyTo(properties);
		PhysicalNamingStrategy strategy = (PhysicalNamingStrategy) properties
			.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
		assertThat(strategy.toPhysicalSchemaName(OUR_SCHEMA, null)).isNull();
		// Nothing configured: Hibernate's standard strategy, which changes nothing.
		assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("SomeTable"), null))
			.isEqualTo(Identifier.toIdentifier("SomeTable"));
	}

	@Test
	void applyToWhenStrategyIsAClassOrAClassNameThenItIsInstantiated() {
		for (Object configured : new Object[] { PrefixingStrategy.class, PrefixingStrategy.class.getName() }) {
			Map<String, Object> properties = new HashMap<>();
			properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, configured);
			McpConnectorTables.inSchema("mcp_tenant_x").applyTo(properties);
			PhysicalNamingStrategy strategy = (PhysicalNamingStrategy) properties
				.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
			assertThat(strategy.toPhysicalTableName(Identifier.toIdentifier("notes"), null))
				.isEqualTo(Identifier.toIdentifier("host_notes"));
		}
	}

	@Test
	void applyToWhenStrategyCannotBeLoadedThenReadableFailure() {
		Map<String, Object> properties = new HashMap<>();
		properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, "com.example.NoSuchStrategy");
		assertThatIllegalStateException()
			.isThrownBy(() -> McpConnectorTables.inSchema("mcp_tenant_x").applyTo(properties))
			.withMessageContaining("com.example.NoSuchStrategy");
		properties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY, String.class);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> McpConnectorTables.inSchema("mcp_tenant_x").applyTo(properties));
	}

	/** A host naming strategy that prefixes every name, so a test sees it was applied. */
	public static class PrefixingStrategy extends PhysicalNamingStrategyStandardImpl {

		@Override
		public Identifier toPhysicalSchemaName(Identifier logicalName, JdbcEnvironment jdbc) {
			return (logicalName != null) ? Identifier.toIdentifier("host_" + logicalName.getText()) : null;
		}

		@Override
		public Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment jdbc) {
			return Identifier.toIdentifier("host_" + logicalName.getText());
		}

		@Override
		public Identifier toPhysicalColumnName(Identifier logicalName, JdbcEnvironment jdbc) {
			return Identifier.toIdentifier("host_" + logicalName.getText());
		}

	}

}
