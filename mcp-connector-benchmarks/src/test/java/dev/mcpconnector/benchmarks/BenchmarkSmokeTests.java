package dev.mcpconnector.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole benchmark with tiny sizes: every figure is reported as a number. Asserts nothing
 * about how fast anything is.
 */
class BenchmarkSmokeTests {

	private static final List<String> FIGURES = List.of("fast_warm_call_ratio", "everything_warm_call_ratio",
			"fast_first_call_ratio", "everything_first_call_ratio", "fast_naive_vs_warm_ratio",
			"everything_naive_vs_warm_ratio", "sql_statements_per_warm_call", "db_connections_per_warm_call",
			"refresh_requests_warm_sessions", "refresh_requests_cold_sessions", "fast_throughput_ratio",
			"everything_throughput_ratio", "heap_per_idle_session_bytes_executor", "fast_first_call_unknown_revision_ratio",
			// issue 21
			"floor_warm_call_median_us", "floor_warm_call_p99_us", "fast_warm_call_vs_floor_ratio",
			"modern_warm_call_vs_floor_ratio", "modern_first_call_vs_floor_ratio", "first_call_sql_statements",
			"first_call_db_part_median_ms", "heap_per_idle_modern_connection_bytes", "threads_per_idle_modern_connection",
			"threads_per_idle_session_executor", "gateway_call_vs_direct_ratio",
			"throughput_64_callers_vs_raw_sdk_ratio");

	@Test
	void quickRunReportsEveryFigureAsANumber() throws Exception {
		Path output = Path.of("target", "smoke-results.json");
		Map<String, Double> results = Benchmarks.run(Benchmarks.Sizes.quick(), output);
		assertThat(results).containsKeys(FIGURES.toArray(String[]::new));
		JsonNode json = JsonMapper.shared().readTree(Files.readString(output));
		for (String figure : FIGURES) {
			assertThat(json.get(figure)).as(figure).isNotNull();
			assertThat(json.get(figure).isNumber()).as(figure + " is a number").isTrue();
		}
		json.properties().forEach((entry) -> assertThat(entry.getValue().isNumber()).as(entry.getKey()).isTrue());
	}

}
