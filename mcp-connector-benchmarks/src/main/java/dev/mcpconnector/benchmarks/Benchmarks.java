package dev.mcpconnector.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import dev.mcpconnector.authorization.CallbackParameters;
import dev.mcpconnector.authorization.McpAuthorizationService;
import dev.mcpconnector.connection.ConnectionCredentials;
import dev.mcpconnector.connection.ConnectionStatus;
import dev.mcpconnector.connection.McpConnection;
import dev.mcpconnector.connection.McpConnectionRepository;
import dev.mcpconnector.connection.McpConnectionService;
import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.connection.McpOwner;
import dev.mcpconnector.connection.McpTransport;
import dev.mcpconnector.connection.NewConnection;
import dev.mcpconnector.demo.DemoBrowser;
import dev.mcpconnector.demo.DemoServer;
import dev.mcpconnector.demo.DemoServerSettings;
import dev.mcpconnector.execution.McpToolExecutor;
import dev.mcpconnector.test.TestApplication;
import dev.mcpconnector.test.TestDatabase;
import dev.mcpconnector.test.TestKeys;
import dev.mcpconnector.test.TestPostgres;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark of issue 9, in one run: {@link McpToolExecutor} against the raw MCP Java SDK
 * ({@link McpSyncClient} over {@link HttpClientStreamableHttpTransport}), side by side against a
 * fast Java MCP server ({@link FastMcpServer}, its own JVM) and server-everything (node).
 * <p>
 * Latencies are medians of many samples taken after a warm-up, the two contenders alternating
 * in blocks so drift (JIT, GC, the other process) hits both alike. Prints a table and writes
 * {@code mcp-connector-benchmarks/target/results.json} (one number per key).
 * <p>
 * {@code java -jar mcp-connector-benchmarks/target/benchmarks.jar [--quick] [--out <file>]}
 */
public final class Benchmarks {

	/**
	 * How much to measure.
	 *
	 * @param scaleUsers users (x {@code connectionsPerUser}) of the idle legacy sessions at scale:
	 * 5,000 x 2, not the 10,000 x 2 of issue 21: every idle legacy session keeps its GET event
	 * stream open (one socket here and one at the server), a process may hold 20,000 file
	 * descriptors on the benchmark machine, and the fast server needs about 100 KB of heap per
	 * 2025-11-25 session (it runs with 3 GB)
	 * @param modernConnections idle 2026-07-28 connections at scale
	 * @param manyCallers concurrent callers of the second throughput figure
	 */
	public record Sizes(int warmupCalls, int warmRounds, int warmCallsPerRound, int firstCallWarmup, int firstCalls,
			int users, int connectionsPerUser, int everythingUsers, int throughputThreads, Duration throughputWarmup,
			Duration throughputMeasure, int stormCalls, int gcRounds, int scaleUsers, int modernConnections,
			int manyCallers) {

		/** The full run: about ten minutes on 2 cores. */
		public static Sizes full() {
			return new Sizes(2000, 10, 300, 30, 150, 1000, 2, 100, 16, Duration.ofSeconds(3), Duration.ofSeconds(10),
					100, 5, 5_000, 100_000, 64);
		}

		/** A smoke run: every figure, tiny sizes. */
		public static Sizes quick() {
			return new Sizes(30, 2, 10, 1, 3, 5, 2, 3, 4, Duration.ofMillis(100), Duration.ofMillis(300), 10, 1, 5, 10,
					8);
		}

	}

	/** A server as the connect flow stored it: the revision and transport its probe found. */
	private record Target(String name, String url, McpTransport transport, String revision) {
	}

	/** One side of a side-by-side latency measurement. */
	private record Contender(String name, Runnable call, boolean counted) {
	}

	private final Sizes sizes;

	private final Map<String, Double> results = new LinkedHashMap<>();

	private final List<String[]> table = new ArrayList<>();

	private ConfigurableApplicationContext app;

	private McpToolExecutor executor;

	private McpConnectionService connections;

	private McpConnectionRepository repository;

	private McpAuthorizationService authorization;

	private Benchmarks(Sizes sizes) {
		this.sizes = sizes;
	}

	public static void main(String[] args) throws Exception {
		CountingDataSourceConfiguration.measured = Thread.currentThread();
		Sizes sizes = Arrays.asList(args).contains("--quick") ? Sizes.quick() : Sizes.full();
		int out = Arrays.asList(args).indexOf("--out");
		Path output = (out >= 0) ? Path.of(args[out + 1]) : defaultOutput();
		long start = System.nanoTime();
		Map<String, Double> results = run(sizes, output);
		System.out.printf(Locale.ROOT, "%nWrote %d figures to %s in %.0f s%n", results.size(), output.toAbsolutePath(),
				(System.nanoTime() - start) / 1e9);
		System.exit(0);
	}

	/** {@code mcp-connector-benchmarks/target/results.json}, from the repository root or the module. */
	static Path defaultOutput() {
		Path cwd = Path.of("").toAbsolutePath();
		Path module = Files.isDirectory(cwd.resolve("mcp-connector-benchmarks")) ? cwd.resolve("mcp-connector-benchmarks")
				: cwd;
		return module.resolve("target").resolve("results.json");
	}

	/**
	 * Runs every benchmark and writes the results.
	 * @param sizes how much to measure
	 * @param output the JSON file
	 * @return the figures, by key
	 */
	public static Map<String, Double> run(Sizes sizes, Path output) throws Exception {
		Benchmarks benchmarks = new Benchmarks(sizes);
		benchmarks.runAll(output.toAbsolutePath().getParent());
		benchmarks.print();
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, benchmarks.json());
		return benchmarks.results;
	}

	private void runAll(Path workDir) throws Exception {
		log("machine: %d cores, %s %s, max heap %d MiB", Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().maxMemory() >> 20);
		TestDatabase database = TestPostgres.newDatabase();
		String key = TestKeys.newBase64Key();
		try (FastMcpServer fast = FastMcpServer.fork();
				EverythingServer everything = EverythingServer.start(workDir.resolve("node-peers"))) {
			log("fast server %s (pid %d), %s", fast.mcpUrl(), fast.pid(), everything);
			this.app = instance(database, key, true, "mcp.connector.client.max-sessions=250000");
			try {
				this.executor = this.app.getBean(McpToolExecutor.class);
				this.connections = this.app.getBean(McpConnectionService.class);
				this.repository = this.app.getBean(McpConnectionRepository.class);
				this.authorization = this.app.getBean(McpAuthorizationService.class);
				Target legacy = linked("fast", fast.legacyMcpUrl());
				Target server = linked("everything", everything.mcpUrl());
				Target modern = linked("modern", fast.mcpUrl());
				long[] counts = new long[3];
				add(counts, latency(legacy, true));
				add(counts, latency(server, false));
				add(counts, modernLatency(modern));
				put("sql_statements_per_warm_call", "SQL statements per warm call", (double) counts[0] / counts[2],
						"goal 0", counts[0] == 0);
				put("db_connections_per_warm_call", "DB connections taken per warm call", (double) counts[1] / counts[2],
						"goal 0", counts[1] == 0);
				gateway(legacy);
				// Idle sessions at scale first: no raw client of the throughput runs holds a socket yet.
				idleAtScale(legacy, this.sizes.scaleUsers(), this.sizes.connectionsPerUser());
				idleAtScale(modern, this.sizes.modernConnections() / 2, 2);
				throughputAndHeap(legacy, this.sizes.users(), this.sizes.connectionsPerUser(), true);
				throughputAndHeap(server, this.sizes.everythingUsers(), this.sizes.connectionsPerUser(), false);
			}
			finally {
				this.app.close();
			}
		}
		refreshStorm(key);
		this.results.put("available_processors", (double) Runtime.getRuntime().availableProcessors());
		this.results.put("run_epoch_seconds", (double) (System.currentTimeMillis() / 1000));
	}

	// ------------------------------------------------------------------ latency

	/**
	 * Warm calls side by side: each contender warmed up, then rounds in which every contender
	 * makes {@code warmCallsPerRound} calls, the one to go first rotating, so drift hits all alike.
	 * @param counts statements, connections and calls of the counted contenders, added to
	 * @return the samples (ns) of each contender, in order
	 */
	private long[][] sideBySide(List<Contender> contenders, long[] counts) {
		for (int i = 0; i < this.sizes.warmupCalls(); i++) {
			contenders.forEach((contender) -> contender.call().run());
		}
		int perRound = this.sizes.warmCallsPerRound();
		long[][] samples = new long[contenders.size()][this.sizes.warmRounds() * perRound];
		for (int round = 0; round < this.sizes.warmRounds(); round++) {
			for (int side = 0; side < contenders.size(); side++) {
				int which = (round + side) % contenders.size();
				Contender contender = contenders.get(which);
				long s0 = CountingDataSourceConfiguration.STATEMENTS.get();
				long c0 = CountingDataSourceConfiguration.CONNECTIONS.get();
				for (int i = 0; i < perRound; i++) {
					long t0 = System.nanoTime();
					contender.call().run();
					samples[which][round * perRound + i] = System.nanoTime() - t0;
				}
				if (contender.counted()) {
					counts[0] += CountingDataSourceConfiguration.STATEMENTS.get() - s0;
					counts[1] += CountingDataSourceConfiguration.CONNECTIONS.get() - c0;
					counts[2] += perRound;
				}
			}
		}
		return samples;
	}

	/** Median, p90 and p99 of warm samples, in microseconds, under {@code <prefix>_warm_call_*}. */
	private double warmFigures(String prefix, String label, String suffix, long[] samples) {
		double median = median(samples);
		put(prefix + "_warm_call_median_us" + suffix, label + " warm call median (us)", median / 1e3, "", null);
		put(prefix + "_warm_call_p90_us" + suffix, label + " warm call p90 (us)", percentile(samples, 0.9) / 1e3, "",
				null);
		put(prefix + "_warm_call_p99_us" + suffix, label + " warm call p99 (us)", percentile(samples, 0.99) / 1e3, "",
				null);
		return median;
	}

	/** @return statements, connections and calls counted over the warm executor calls */
	private long[] latency(Target target, boolean withFloor) throws Exception {
		String n = target.name();
		Map<String, Object> arguments = Map.of("message", "hello");
		McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("echo", arguments);

		// --- warm: one persistent session each (and the floor: one bare keep-alive connection)
		McpOwner owner = McpOwner.of("warm-" + n + "-" + UUID.randomUUID());
		UUID id = newConnection(owner, target, true);
		McpSyncClient raw = rawClient(target.url());
		raw.initialize();
		long[] counts = new long[3];
		try (FloorClient floor = withFloor ? FloorClient.legacy(target.url()) : null) {
			List<Contender> contenders = new ArrayList<>(List.of(new Contender("raw", () -> raw.callTool(request), false),
					new Contender("executor", () -> this.executor.callTool(owner, id, "echo", arguments), true)));
			if (floor != null) {
				contenders.add(new Contender("floor", () -> floor.call("echo", "hello"), false));
			}
			long[][] samples = sideBySide(contenders, counts);
			raw.close();
			this.executor.close(owner, id);
			double rawWarm = warmFigures(n, n + ": raw SDK", "_raw_sdk", samples[0]);
			double ourWarm = warmFigures(n, n + ": executor", "_executor", samples[1]);
			put(n + "_warm_call_ratio", n + ": warm executor / warm raw SDK (medians)", ourWarm / rawWarm,
					"goal <= 1.05", ourWarm / rawWarm <= 1.05);
			if (floor != null) {
				double floorWarm = median(samples[2]);
				put("floor_warm_call_median_us", n + ": floor, bare JDK HttpClient POST, warm median (us)", floorWarm / 1e3,
						"", null);
				put("floor_warm_call_p99_us", n + ": floor warm call p99 (us)", percentile(samples[2], 0.99) / 1e3, "",
						null);
				put(n + "_raw_sdk_warm_call_vs_floor_ratio", n + ": warm raw SDK / floor", rawWarm / floorWarm, "", null);
				put(n + "_warm_call_vs_floor_ratio", n + ": warm executor / floor", ourWarm / floorWarm, "goal <= 1.5",
						ourWarm / floorWarm <= 1.5);
			}
			firstCalls(target, ourWarm);
		}
		return counts;
	}

	/**
	 * The first call of fresh users (a stored connection and an encrypted token each) on a cold
	 * pool, interleaved with the raw SDK's connect + initialize + call (and its naive + close),
	 * and with the first call of a connection whose revision is not stored (as after a connect
	 * whose probe got 401), which asks {@code server/discover} first.
	 */
	private void firstCalls(Target target, double ourWarm) {
		String n = target.name();
		McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("echo", Map.of("message", "hello"));
		FirstCalls samples = firstCallSamples(target, () -> {
			long t0 = System.nanoTime();
			McpSyncClient client = rawClient(target.url());
			client.initialize();
			client.callTool(request);
			long t1 = System.nanoTime();
			client.close();
			return new long[] { t1 - t0, System.nanoTime() - t0 };
		});
		long[] rawFirst = samples.raw();
		long[] naive = samples.rawClosed();
		long[] ourFirst = samples.ours();
		long[] unknownFirst = samples.unknown();
		long[] dbPart = samples.dbPart();
		long firstStatements = samples.statements();
		long unknownStatements = samples.unknownStatements();
		double rawFirstMedian = median(rawFirst);
		double ourFirstMedian = median(ourFirst);
		double naiveMedian = median(naive);
		put(n + "_first_call_median_ms_raw_sdk", n + ": raw connect+initialize+call median (ms)", rawFirstMedian / 1e6,
				"", null);
		put(n + "_first_call_median_ms_executor", n + ": executor first call median (ms)", ourFirstMedian / 1e6, "",
				null);
		put(n + "_first_call_ratio", n + ": executor first call / raw connect+init+call", ourFirstMedian / rawFirstMedian,
				"goal <= 1.2", ourFirstMedian / rawFirstMedian <= 1.2);
		put(n + "_first_call_db_part_median_ms", n + ": of which load + decrypt alone, median (ms)",
				median(dbPart) / 1e6, "", null);
		put(n + "_sql_statements_per_first_call", n + ": SQL statements per first call",
				(double) firstStatements / this.sizes.firstCalls(), "", null);
		put(n + "_first_call_unknown_revision_median_ms", n + ": first call, revision not stored yet, median (ms)",
				median(unknownFirst) / 1e6, "", null);
		put(n + "_first_call_unknown_revision_ratio", n + ": first call, revision not stored / raw connect+init+call",
				median(unknownFirst) / rawFirstMedian, "", null);
		put(n + "_sql_statements_per_first_call_unknown_revision", n + ": SQL statements, revision not stored",
				(double) unknownStatements / this.sizes.firstCalls(), "", null);
		put(n + "_naive_call_median_ms", n + ": naive connect+init+call+close median (ms)", naiveMedian / 1e6, "",
				null);
		put(n + "_naive_vs_warm_ratio", n + ": naive per-call connect / executor warm call", naiveMedian / ourWarm,
				"goal >= 3", naiveMedian / ourWarm >= 3);
	}

	/**
	 * First-call samples of fresh users (30 warm-up ones, then {@code firstCalls}).
	 *
	 * @param raw the raw SDK's connect + call (and + close) of each user, ns
	 * @param rawClosed the same including closing the raw client (the naive per-call use)
	 * @param ours the executor's first call on a connection stored with its revision
	 * @param unknown on a connection stored without it
	 * @param dbPart the load + decrypt alone of each {@code ours} connection
	 */
	private record FirstCalls(long[] raw, long[] rawClosed, long[] ours, long[] unknown, long[] dbPart,
			long statements, long connections, long unknownStatements) {
	}

	/**
	 * Fresh users (a stored connection and an encrypted token each) on a cold pool, three sides
	 * interleaved, the first rotating: the raw SDK, the executor on a connection stored with its
	 * revision, the executor on one stored without it (as after a connect whose probe got 401).
	 * @param raw one raw SDK first call: {ns to the result, ns to the client closed}
	 */
	private FirstCalls firstCallSamples(Target target, java.util.function.Supplier<long[]> raw) {
		Map<String, Object> arguments = Map.of("message", "hello");
		int total = this.sizes.firstCallWarmup() + this.sizes.firstCalls();
		List<McpOwner> owners = new ArrayList<>();
		List<UUID> ids = new ArrayList<>();
		List<UUID> unknownIds = new ArrayList<>();
		Target unprobed = new Target(target.name(), target.url(), target.transport(), null);
		for (int i = 0; i < total; i++) {
			McpOwner user = McpOwner.of("first-" + target.name() + "-" + i + "-" + UUID.randomUUID());
			owners.add(user);
			ids.add(newConnection(user, target, true));
			unknownIds.add(newConnection(user, unprobed, true));
		}
		int count = this.sizes.firstCalls();
		FirstCalls samples = new FirstCalls(new long[count], new long[count], new long[count], new long[count],
				new long[count], 0, 0, 0);
		long statements = 0;
		long taken = 0;
		long unknownStatements = 0;
		for (int i = 0; i < total; i++) {
			int sample = i - this.sizes.firstCallWarmup();
			for (int side = 0; side < 3; side++) {
				int which = (side + i) % 3;
				if (which == 0) {
					long[] times = raw.get();
					if (sample >= 0) {
						samples.raw()[sample] = times[0];
						samples.rawClosed()[sample] = times[1];
					}
					continue;
				}
				UUID id = (which == 1) ? ids.get(i) : unknownIds.get(i);
				long s0 = CountingDataSourceConfiguration.STATEMENTS.get();
				long c0 = CountingDataSourceConfiguration.CONNECTIONS.get();
				long t0 = System.nanoTime();
				this.executor.callTool(owners.get(i), id, "echo", arguments);
				long t1 = System.nanoTime();
				long s1 = CountingDataSourceConfiguration.STATEMENTS.get();
				long c1 = CountingDataSourceConfiguration.CONNECTIONS.get();
				this.executor.close(owners.get(i), id);
				if (sample < 0) {
					continue;
				}
				if (which == 1) {
					samples.ours()[sample] = t1 - t0;
					statements += s1 - s0;
					taken += c1 - c0;
					samples.dbPart()[sample] = dbPart(owners.get(i), id);
				}
				else {
					samples.unknown()[sample] = t1 - t0;
					unknownStatements += s1 - s0;
				}
			}
		}
		return new FirstCalls(samples.raw(), samples.rawClosed(), samples.ours(), samples.unknown(), samples.dbPart(),
				statements, taken, unknownStatements);
	}

	/**
	 * The database part of a first call alone: what the executor reads before it opens a
	 * session (the connection, then its decrypted credentials), timed once more after the call.
	 * @return nanoseconds
	 */
	private long dbPart(McpOwner owner, UUID id) {
		long d0 = System.nanoTime();
		this.connections.get(owner, id);
		this.authorization.credentials(owner, id);
		return System.nanoTime() - d0;
	}

	// ------------------------------------------------------------------ 2026-07-28

	/**
	 * The fast server's 2026-07-28 side: warm calls of the floor (one self-contained POST), the
	 * SDK's 2026-07-28 client and the executor; then first calls, which need no handshake.
	 * @return statements, connections and calls counted over the warm executor calls
	 */
	private long[] modernLatency(Target target) {
		Map<String, Object> arguments = Map.of("message", "hello");
		McpOwner owner = McpOwner.of("warm-modern-" + UUID.randomUUID());
		UUID id = newConnection(owner, target, true);
		io.modelcontextprotocol.modern.client.McpSyncClient raw = rawModernClient(target.url());
		FloorClient floor = FloorClient.modern(target.url());
		long[] counts = new long[3];
		long[][] samples = sideBySide(List.of(new Contender("floor", () -> floor.call("echo", "hello"), false),
				new Contender("raw", () -> raw.tool("echo").arguments(arguments).call(), false),
				new Contender("executor", () -> this.executor.callTool(owner, id, "echo", arguments), true)), counts);
		this.executor.close(owner, id);
		double floorWarm = median(samples[0]);
		put("modern_floor_warm_call_median_us", "modern: floor, bare JDK HttpClient POST, warm median (us)",
				floorWarm / 1e3, "", null);
		put("modern_floor_warm_call_p99_us", "modern: floor warm call p99 (us)", percentile(samples[0], 0.99) / 1e3, "",
				null);
		double rawWarm = warmFigures("modern", "modern: raw SDK", "_raw_sdk", samples[1]);
		double ourWarm = warmFigures("modern", "modern: executor", "_executor", samples[2]);
		put("modern_warm_call_ratio", "modern: warm executor / warm raw SDK (medians)", ourWarm / rawWarm, "", null);
		put("modern_raw_sdk_warm_call_vs_floor_ratio", "modern: warm raw SDK / floor", rawWarm / floorWarm, "", null);
		put("modern_warm_call_vs_floor_ratio", "modern: warm executor / floor", ourWarm / floorWarm, "goal <= 1.5",
				ourWarm / floorWarm <= 1.5);

		// --- first call of a user: no handshake; the executor lists the tool definitions once
		FirstCalls first = firstCallSamples(target, () -> {
			long t0 = System.nanoTime();
			rawModernClient(target.url()).tool("echo").arguments(arguments).call();
			long t = System.nanoTime() - t0;
			return new long[] { t, t };
		});
		long[] rawFirst = first.raw();
		long[] ourFirst = first.ours();
		long[] unknownFirst = first.unknown();
		long[] dbPart = first.dbPart();
		long statements = first.statements();
		long taken = first.connections();
		double ourFirstMedian = median(ourFirst);
		double dbMedian = median(dbPart);
		double sql = (double) statements / this.sizes.firstCalls();
		put("modern_first_call_median_ms_raw_sdk", "modern: raw SDK new client + call median (ms)",
				median(rawFirst) / 1e6, "", null);
		put("modern_first_call_median_ms_executor", "modern: executor first call median (ms)", ourFirstMedian / 1e6, "",
				null);
		put("modern_first_call_ratio", "modern: executor first call / raw SDK new client + call",
				ourFirstMedian / median(rawFirst), "", null);
		put("modern_first_call_vs_floor_ratio", "modern: executor first call / floor warm call",
				ourFirstMedian / floorWarm, "goal <= 2 + db part / floor = " + format(2 + dbMedian / floorWarm),
				ourFirstMedian <= 2 * floorWarm + dbMedian);
		put("modern_first_call_unknown_revision_median_ms", "modern: first call, revision not stored yet, median (ms)",
				median(unknownFirst) / 1e6, "", null);
		put("first_call_sql_statements", "cold path: SQL statements per first call", sql, "goal <= 1", sql <= 1);
		put("first_call_db_connections", "cold path: DB connections taken per first call",
				(double) taken / this.sizes.firstCalls(), "", null);
		put("first_call_db_part_median_ms", "cold path: load + decrypt a connection, median (ms)", dbMedian / 1e6,
				"goal <= 1", dbMedian / 1e6 <= 1);
		return counts;
	}

	// ------------------------------------------------------------------ gateway

	/**
	 * A tool call through {@link dev.mcpconnector.ai.McpGatewayServlet} (JDK client -> gateway
	 * -> executor -> server) against the same call made by the same bare JDK client directly to
	 * the server, side by side.
	 */
	private void gateway(Target target) throws Exception {
		McpOwner owner = McpOwner.of("gateway-" + UUID.randomUUID());
		newConnection(owner, target, true);
		try (GatewayHost host = GatewayHost.start(this.executor, this.connections,
				this.app.getBean(SecretCipher.class), owner);
				FloorClient direct = FloorClient.legacy(target.url());
				FloorClient gateway = FloorClient.legacy(host.mcpUrl())) {
			String listed = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":\"list\",\"method\":\"tools/list\",\"params\":{}}",
					gateway.sessionHeaders()).body();
			java.util.regex.Matcher name = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*echo)\"")
				.matcher(listed);
			if (!name.find()) {
				throw new IllegalStateException("The gateway lists no echo tool: " + listed);
			}
			String tool = name.group(1);
			long[] counts = new long[3];
			long[][] samples;
			// The gateway runs each call on a Tomcat request thread: count those threads' SQL too.
			CountingDataSourceConfiguration.measuredPrefix = GatewayHost.THREAD_PREFIX;
			try {
				samples = sideBySide(List.of(new Contender("direct", () -> direct.call("echo", "hello"), false),
						new Contender("gateway", () -> gateway.call(tool, "hello"), true)), counts);
			}
			finally {
				CountingDataSourceConfiguration.measuredPrefix = null;
			}
			put("gateway_sql_statements_per_call", "gateway: SQL statements per warm call through it",
					(double) counts[0] / counts[2], "", null);
			double directMedian = median(samples[0]);
			double gatewayMedian = median(samples[1]);
			put("direct_call_median_us", "gateway: same call, JDK client -> server, median (us)", directMedian / 1e3, "",
					null);
			put("gateway_call_median_us", "gateway: JDK client -> gateway -> server, median (us)", gatewayMedian / 1e3,
					"", null);
			put("gateway_call_p99_us", "gateway: call p99 (us)", percentile(samples[1], 0.99) / 1e3, "", null);
			put("gateway_call_vs_direct_ratio", "gateway: call through the gateway / direct call",
					gatewayMedian / directMedian, "goal <= 1.3", gatewayMedian / directMedian <= 1.3);
		}
	}

	// ------------------------------------------------------------------ throughput and heap

	private void throughputAndHeap(Target target, int users, int perUser, boolean measureHeap) throws Exception {
		String n = target.name();
		int sessions = users * perUser;
		log("%s: %d users x %d connections = %d sessions", n, users, perUser, sessions);
		List<McpOwner> owners = new ArrayList<>(sessions);
		List<UUID> ids = new ArrayList<>(sessions);
		ExecutorService setup = Executors.newFixedThreadPool(8);
		try {
			List<Future<UUID>> created = new ArrayList<>();
			for (int u = 0; u < users; u++) {
				McpOwner owner = McpOwner.of("load-" + n + "-" + u + "-" + UUID.randomUUID());
				for (int c = 0; c < perUser; c++) {
					owners.add(owner);
					created.add(setup.submit(() -> newConnection(owner, target, false)));
				}
			}
			for (Future<UUID> future : created) {
				ids.add(future.get());
			}
			Map<String, Object> arguments = Map.of("message", "load");
			McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("echo", arguments);

			// executor: open every session, measure heap, then throughput
			awaitThreadsSettled();
			long[] base = settledHeapAndThreads();
			parallel(setup, sessions, (i) -> () -> this.executor.callTool(owners.get(i), ids.get(i), "echo", arguments));
			long[] withOurs = settledHeapAndThreads();
			double ourHeap = (double) (withOurs[0] - base[0]) / sessions;
			double ourThreads = (double) (withOurs[1] - base[1]) / sessions;
			java.util.function.IntConsumer ourCall = (i) -> this.executor.callTool(owners.get(i), ids.get(i), "echo",
					arguments);
			double ours = throughput(sessions, ourCall, this.sizes.throughputThreads());
			double ours64 = measureHeap ? throughput(sessions, ourCall, this.sizes.manyCallers()) : Double.NaN;
			for (int i = 0; i < sessions; i++) {
				this.executor.close(owners.get(i), ids.get(i));
			}
			awaitThreadsSettled();

			// raw SDK: one client per (user, connection), opened ahead
			long[] rawBase = settledHeapAndThreads();
			McpSyncClient[] clients = new McpSyncClient[sessions];
			parallel(setup, sessions, (i) -> () -> {
				clients[i] = rawClient(target.url());
				clients[i].initialize();
				return clients[i].callTool(request);
			});
			long[] withRaw = settledHeapAndThreads();
			double rawHeap = (double) (withRaw[0] - rawBase[0]) / sessions;
			double rawThreads = (double) (withRaw[1] - rawBase[1]) / sessions;
			double raw = throughput(sessions, (i) -> clients[i].callTool(request), this.sizes.throughputThreads());
			double raw64 = measureHeap
					? throughput(sessions, (i) -> clients[i].callTool(request), this.sizes.manyCallers()) : Double.NaN;
			for (McpSyncClient client : clients) {
				client.close();
			}

			String shape = users + "x" + perUser;
			put(n + "_throughput_calls_per_s_executor", n + ": throughput " + shape + ", executor (calls/s)", ours, "",
					null);
			put(n + "_throughput_calls_per_s_raw_sdk", n + ": throughput " + shape + ", raw SDK (calls/s)", raw, "",
					null);
			put(n + "_throughput_ratio", n + ": throughput executor / raw SDK (" + shape + ")", ours / raw,
					"goal >= 0.8", ours / raw >= 0.8);
			if (measureHeap) {
				int many = this.sizes.manyCallers();
				put(n + "_throughput_" + many + "_callers_calls_per_s_executor",
						n + ": throughput " + shape + ", " + many + " callers, executor (calls/s)", ours64, "", null);
				put(n + "_throughput_" + many + "_callers_calls_per_s_raw_sdk",
						n + ": throughput " + shape + ", " + many + " callers, raw SDK (calls/s)", raw64, "", null);
				put("throughput_64_callers_vs_raw_sdk_ratio",
						n + ": throughput executor / raw SDK, " + many + " callers (" + shape + ")", ours64 / raw64,
						"goal >= 1.0", ours64 / raw64 >= 1.0);
				put("heap_per_idle_session_bytes_executor_" + sessions,
						"heap per idle pooled session, executor (bytes, N=" + sessions + ")", ourHeap, "", null);
				put("heap_per_idle_session_bytes_raw_sdk", "heap per idle session, raw SDK client (bytes, N=" + sessions
						+ ")", rawHeap, "", null);
				put("threads_per_idle_session_executor_" + sessions,
						"live threads per idle pooled session, executor (N=" + sessions + ")", ourThreads, "", null);
				put("threads_per_idle_session_raw_sdk", "live threads per idle session, raw SDK (N=" + sessions + ")",
						rawThreads, "", null);
			}
		}
		finally {
			setup.shutdownNow();
			System.gc(); // lets the closed clients' HttpClients (and their sockets) go
		}
	}

	private double throughput(int sessions, java.util.function.IntConsumer call, int threads) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		AtomicBoolean counting = new AtomicBoolean();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong done = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		CountDownLatch finished = new CountDownLatch(threads);
		for (int t = 0; t < threads; t++) {
			pool.execute(() -> {
				try {
					while (!stop.get()) {
						int i = ThreadLocalRandom.current().nextInt(sessions);
						try {
							call.accept(i);
							if (counting.get()) {
								done.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							failed.incrementAndGet();
						}
					}
				}
				finally {
					finished.countDown();
				}
			});
		}
		Thread.sleep(this.sizes.throughputWarmup().toMillis());
		long t0 = System.nanoTime();
		counting.set(true);
		Thread.sleep(this.sizes.throughputMeasure().toMillis());
		counting.set(false);
		long elapsed = System.nanoTime() - t0;
		long calls = done.get();
		stop.set(true);
		finished.await(60, TimeUnit.SECONDS);
		pool.shutdownNow();
		if (failed.get() > 0) {
			log("  %d calls failed during the throughput run", failed.get());
		}
		return calls / (elapsed / 1e9);
	}

	/**
	 * Heap and threads per idle connection at scale, executor only (a raw SDK client per
	 * connection would need a JDK HttpClient, its selector thread and its socket each): the
	 * connections are stored with a token, each is used once (so its session holds the token
	 * and what it listed), then every one sits idle in the pool.
	 */
	private void idleAtScale(Target target, int users, int perUser) throws Exception {
		String n = target.name();
		int count = users * perUser;
		long started = System.nanoTime();
		List<McpOwner> owners = new ArrayList<>(count);
		List<UUID> ids = new ArrayList<>(count);
		ExecutorService setup = Executors.newFixedThreadPool(8);
		try {
			List<Future<UUID>> created = new ArrayList<>(count);
			for (int u = 0; u < users; u++) {
				McpOwner owner = McpOwner.of("idle-" + n + "-" + u + "-" + UUID.randomUUID());
				for (int c = 0; c < perUser; c++) {
					owners.add(owner);
					created.add(setup.submit(() -> newConnection(owner, target, true)));
				}
			}
			for (Future<UUID> future : created) {
				ids.add(future.get());
			}
			created.clear();
			log("%s: %d connections stored in %.0f s", n, count, (System.nanoTime() - started) / 1e9);
			Map<String, Object> arguments = Map.of("message", "idle");
			awaitThreadsSettled();
			long[] base = settledHeapAndThreads();
			AtomicLong failed = new AtomicLong();
			parallel(setup, count, (i) -> () -> {
				try {
					return this.executor.callTool(owners.get(i), ids.get(i), "echo", arguments);
				}
				catch (RuntimeException ex) {
					failed.incrementAndGet();
					return null;
				}
			});
			long[] idle = settledHeapAndThreads();
			long open = count - failed.get();
			double heap = (double) (idle[0] - base[0]) / open;
			double threads = (double) (idle[1] - base[1]) / open;
			put(n + "_idle_at_scale_failed_opens", n + ": sessions that failed to open at scale (of " + count + ")",
					failed.get(), "goal 0", failed.get() == 0);
			log("%s: %d sessions opened and settled in %.0f s", n, count, (System.nanoTime() - started) / 1e9);
			if (target.revision() != null && target.revision().compareTo(FastMcpServer.MODERN_REVISION) >= 0) {
				put("heap_per_idle_modern_connection_bytes",
						"heap per idle 2026-07-28 connection, executor (bytes, N=" + count + ")", heap, "goal <= 4096",
						heap <= 4096);
				put("threads_per_idle_modern_connection", "live threads per idle 2026-07-28 connection (N=" + count + ")",
						threads, "goal 0", threads < 0.01);
			}
			else {
				put("heap_per_idle_session_bytes_executor", "heap per idle legacy session, executor (bytes, " + users
						+ " users x " + perUser + ")", heap, "goal <= 49152", heap <= 49152);
				put("threads_per_idle_session_executor", "live threads per idle legacy session, executor (" + users
						+ " x " + perUser + ")", threads, "goal 0", threads < 0.01);
			}
			for (int i = 0; i < count; i++) {
				this.executor.close(owners.get(i), ids.get(i));
			}
		}
		finally {
			setup.shutdownNow();
			System.gc();
		}
	}

	private static void parallel(ExecutorService pool, int count, IntFunction<Callable<?>> work) throws Exception {
		List<Future<?>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(pool.submit(work.apply(i)));
		}
		for (Future<?> future : futures) {
			future.get();
		}
	}

	/**
	 * Waits until closed clients are gone: their JDK HttpClients stop their selector and worker
	 * threads only once collected, so GC until the thread count stops falling (at most 30 s).
	 */
	private void awaitThreadsSettled() throws InterruptedException {
		int previous = Integer.MAX_VALUE;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep((this.sizes.gcRounds() > 1) ? 1000 : 100);
			int now = ManagementFactory.getThreadMXBean().getThreadCount();
			if (now >= previous - 2) {
				return;
			}
			previous = now;
		}
	}

	/** Used heap after full GCs (bytes) and live threads, once both settle. */
	private long[] settledHeapAndThreads() throws InterruptedException {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < this.sizes.gcRounds(); i++) {
			System.gc();
			Thread.sleep(200);
			long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			used = Math.min(used, now);
		}
		return new long[] { used, ManagementFactory.getThreadMXBean().getThreadCount() };
	}

	// ------------------------------------------------------------------ refresh storm

	private void refreshStorm(String key) throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		try (DemoServer demo = DemoServer.start(DemoServerSettings.builder()
			.port(0)
			.accessTokenTimeToLive(Duration.ofSeconds(2))
			.build());
				// The storm is one user's calls at once, above the default per-owner cap of 32 calls.
				ConfigurableApplicationContext first = instance(database, key, false,
						"mcp.connector.authorization.refresh-skew=0s", "spring.datasource.hikari.maximum-pool-size=5",
						"mcp.connector.client.max-concurrent-calls-per-owner=" + this.sizes.stormCalls());
				ConfigurableApplicationContext second = instance(database, key, false,
						"mcp.connector.authorization.refresh-skew=0s", "spring.datasource.hikari.maximum-pool-size=5",
						"mcp.connector.client.max-concurrent-calls-per-owner=" + this.sizes.stormCalls())) {
			McpOwner alice = McpOwner.of("alice");
			McpAuthorizationService authorization = first.getBean(McpAuthorizationService.class);
			McpAuthorizationService.AuthorizationStart connect = authorization.connect(alice, NewConnection.of(demo.mcpUrl()), null,
					URI.create("http://127.0.0.1/callback"));
			URI redirect = new DemoBrowser("alice", "alice").authorize(connect.authorizationUrl());
			authorization.complete(alice, new CallbackParameters(DemoBrowser.queryParameter(redirect, "code"),
					DemoBrowser.queryParameter(redirect, "state"), DemoBrowser.queryParameter(redirect, "iss"), null,
					null));
			UUID id = connect.connection().id();
			List<McpToolExecutor> executors = List.of(first.getBean(McpToolExecutor.class),
					second.getBean(McpToolExecutor.class));

			// warm sessions on both instances, then their token expires under them (401 -> refresh)
			for (McpToolExecutor executor : executors) {
				executor.callTool(alice, id, "echo", Map.of("message", "warm"));
			}
			Thread.sleep(2500);
			long[] warm = storm(demo, executors, alice, id);
			put("refresh_requests_warm_sessions",
					"refresh requests: " + this.sizes.stormCalls() + " calls on warm sessions, 2 instances, expired",
					(double) warm[0], "goal 1", warm[0] == 1);
			put("refresh_storm_warm_calls_failed", "  calls that failed in it", (double) warm[1], "goal 0",
					warm[1] == 0);

			// cold sessions: the stored token has expired (credentials() refreshes before opening)
			for (McpToolExecutor executor : executors) {
				executor.close(alice, id);
			}
			Thread.sleep(2500);
			long[] cold = storm(demo, executors, alice, id);
			put("refresh_requests_cold_sessions",
					"refresh requests: " + this.sizes.stormCalls() + " calls, no session yet, 2 instances, expired",
					(double) cold[0], "goal 1", cold[0] == 1);
			put("refresh_storm_cold_calls_failed", "  calls that failed in it", (double) cold[1], "goal 0",
					cold[1] == 0);
		}
	}

	/** @return refresh requests the authorization server saw, and failed calls */
	private long[] storm(DemoServer demo, List<McpToolExecutor> executors, McpOwner owner, UUID id) throws Exception {
		long before = demo.counters().refreshTokenGrants();
		int calls = this.sizes.stormCalls();
		ExecutorService pool = Executors.newFixedThreadPool(calls);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			McpToolExecutor executor = executors.get(i % 2);
			String message = "storm " + i;
			futures.add(pool.submit(() -> {
				start.await();
				return executor.callTool(owner, id, "echo", Map.of("message", message));
			}));
		}
		start.countDown();
		long failed = 0;
		for (Future<?> future : futures) {
			try {
				McpSchema.CallToolResult result = (McpSchema.CallToolResult) future.get(60, TimeUnit.SECONDS);
				if (Boolean.TRUE.equals(result.isError())) {
					failed++;
				}
			}
			catch (Exception ex) {
				failed++;
				log("  storm call failed: %s", ex.getCause() != null ? ex.getCause() : ex);
			}
		}
		pool.shutdownNow();
		return new long[] { demo.counters().refreshTokenGrants() - before, failed };
	}

	// ------------------------------------------------------------------ helpers

	/**
	 * Link a server the way the connect flow does (it probes the server and stores the
	 * transport and revision it found), and keep what it found for the benchmark's connections.
	 */
	private Target linked(String name, String url) {
		McpConnection probed = this.authorization.connect(McpOwner.of("linker-" + UUID.randomUUID()),
				new NewConnection(url, name, null), null, URI.create("http://127.0.0.1/callback")).connection();
		log("%s: %s speaks %s over %s", name, url, probed.protocolVersion(), probed.transport());
		return new Target(name, url, probed.transport(), probed.protocolVersion());
	}

	private UUID newConnection(McpOwner owner, Target target, boolean withToken) {
		McpConnection connection = this.connections.create(owner, new NewConnection(target.url(), target.name(), null),
				ConnectionStatus.ACTIVE, target.transport(), target.revision());
		if (withToken) {
			// The servers ignore it; storing one makes the first call load and decrypt a secret.
			this.repository.saveCredentials(owner, connection.id(),
					new ConnectionCredentials("bench-" + UUID.randomUUID(), null, "Bearer", null, Set.of()));
		}
		return connection.id();
	}

	private static void add(long[] into, long[] counts) {
		for (int i = 0; i < into.length; i++) {
			into[i] += counts[i];
		}
	}

	private static McpSyncClient rawClient(String url) {
		URI uri = URI.create(url);
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder(uri.getScheme() + "://" + uri.getRawAuthority())
			.endpoint(uri.getRawPath())
			.build();
		return McpClient.sync(transport).clientInfo(new McpSchema.Implementation("raw-sdk-bench", "1.0.0")).build();
	}

	/** The SDK's 2026-07-28 client, as an application would build it. */
	private static io.modelcontextprotocol.modern.client.McpSyncClient rawModernClient(String url) {
		return io.modelcontextprotocol.modern.client.McpClient
			.sync(io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport.builder(URI.create(url)).build())
			.clientInfo(new io.modelcontextprotocol.modern.McpSchema.Implementation("raw-sdk-bench", null, "1.0.0", null,
					null, null))
			.build();
	}

	private static ConfigurableApplicationContext instance(TestDatabase database, String key, boolean counting,
			String... extra) {
		List<String> properties = new ArrayList<>(List.of(database.springProperties()));
		properties.add("mcp.connector.encryption.keys.k1=" + key);
		properties.add("mcp.connector.egress.allow-insecure-loopback=true");
		properties.add("spring.jmx.enabled=false");
		properties.add("logging.level.root=WARN");
		properties.addAll(List.of(extra));
		List<Class<?>> sources = new ArrayList<>(List.of(TestApplication.class));
		if (counting) {
			sources.add(CountingDataSourceConfiguration.class);
		}
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	static double median(long[] samples) {
		return percentile(samples, 0.5);
	}

	static double percentile(long[] samples, double p) {
		long[] sorted = samples.clone();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return Double.NaN;
		}
		double rank = p * (sorted.length - 1);
		int low = (int) Math.floor(rank);
		int high = (int) Math.ceil(rank);
		return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
	}

	private void put(String key, String label, double value, String goal, Boolean met) {
		this.results.put(key, value);
		this.table.add(new String[] { label, format(value), goal, (met == null) ? "" : (met ? "met" : "MISSED") });
		log("%-62s %12s  %s %s", label, format(value), goal, (met == null) ? "" : (met ? "met" : "MISSED"));
	}

	private static String format(double value) {
		if (Math.abs(value) >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.3f", value);
	}

	private void print() {
		System.out.println();
		System.out.println("mcp-connector benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
				+ ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
		System.out.println();
		System.out.println("| figure | value | goal | |");
		System.out.println("|---|---:|---|---|");
		for (String[] row : this.table) {
			System.out.println("| " + String.join(" | ", row) + " |");
		}
	}

	private String json() {
		StringBuilder json = new StringBuilder("{\n");
		int i = 0;
		for (Map.Entry<String, Double> entry : this.results.entrySet()) {
			double v = entry.getValue();
			String number = (Double.isNaN(v) || Double.isInfinite(v)) ? "-1"
					: (v == Math.rint(v) && Math.abs(v) < 1e15) ? String.valueOf((long) v)
							: new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
								.toPlainString();
			json.append("  \"").append(entry.getKey()).append("\": ").append(number);
			json.append((++i < this.results.size()) ? ",\n" : "\n");
		}
		return json.append("}\n").toString();
	}

	private static void log(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
	}

}
