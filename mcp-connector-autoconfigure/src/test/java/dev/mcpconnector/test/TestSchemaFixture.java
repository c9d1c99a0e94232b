package dev.mcpconnector.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schema 2020-12 tool input schema of the official conformance suite
 * ({@code JSON_SCHEMA_2020_12_FIXTURE} of {@code json-schema-2020-12-preservation}: {@code $schema},
 * {@code $defs} with an {@code $anchor}, a local {@code $ref}, {@code allOf}/{@code anyOf},
 * {@code if}/{@code then}/{@code else}, {@code additionalProperties: false}), copied as test
 * data in {@code schemas/json-schema-2020-12-fixture.json}, plus one property whose {@code $ref}
 * is a network URL: a canary on loopback that records every request. A schema path must hand
 * the schema on whole and never fetch a {@code $ref}: {@link #assertWholeAndNotFetched(Map)}.
 */
public final class TestSchemaFixture implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpServer canary;

	private final List<String> fetches = new CopyOnWriteArrayList<>();

	private final String text;

	private TestSchemaFixture(HttpServer canary) {
		this.canary = canary;
		canary.createContext("/", (exchange) -> {
			this.fetches.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
			byte[] body = "{\"type\":\"object\"}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/schema+json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		canary.start();
		this.text = resource().replace("${canary}", canaryUrl());
	}

	/** The fixture with its canary listening on a free loopback port. */
	public static TestSchemaFixture start() {
		try {
			return new TestSchemaFixture(
					HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Where the {@code profile} property's {@code $ref} points. */
	public String canaryUrl() {
		return "http://127.0.0.1:" + this.canary.getAddress().getPort() + "/canary/profile-schema.json";
	}

	/** A new, mutable copy of the schema, as a server's {@code tools/list} would carry it. */
	@SuppressWarnings("unchecked")
	public Map<String, Object> schema() {
		return json.readValue(this.text, LinkedHashMap.class);
	}

	/** The schema as JSON text. */
	public String json() {
		return this.text;
	}

	/** A tool named {@code json_schema_2020_12_tool} with the schema, as the suite serves it. */
	public McpSchema.Tool tool() {
		return McpSchema.Tool.builder()
			.name("json_schema_2020_12_tool")
			.description("Tool with JSON Schema 2020-12 features")
			.inputSchema(schema())
			.build();
	}

	/** Requests the canary got ({@code METHOD path}). */
	public List<String> fetches() {
		return List.copyOf(this.fetches);
	}

	/**
	 * Asserts that a schema handed on is the fixture, every keyword and value (key order aside),
	 * and that nobody fetched the canary.
	 * @param schema what a schema path handed on: a map or JSON text
	 */
	public void assertWholeAndNotFetched(Object schema) {
		JsonNode actual = (schema instanceof String text) ? json.readTree(text) : json.valueToTree(schema);
		assertThat((Object) actual).as("the schema handed on").isEqualTo(json.readTree(this.text));
		assertThat(actual.at("/properties/profile/$ref").asString()).isEqualTo(canaryUrl());
		assertNotFetched();
	}

	/** Asserts that nobody fetched the canary. */
	public void assertNotFetched() {
		assertThat(this.fetches).as("requests for the canary $ref " + canaryUrl()).isEmpty();
	}

	@Override
	public void close() {
		this.canary.stop(0);
	}

	private static String resource() {
		try (InputStream in = TestSchemaFixture.class.getResourceAsStream("/schemas/json-schema-2020-12-fixture.json")) {
			assertThat(in).as("schemas/json-schema-2020-12-fixture.json").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
