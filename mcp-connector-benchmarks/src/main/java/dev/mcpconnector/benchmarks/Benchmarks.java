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
import dev.mcpconnector.connection.McpOwner;
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

	/** How much to measure. */
	public record Sizes(int warmupCalls, int warmRounds, int warmCallsPerRound, int firstCallWarmup, int firstCalls,
			int users, int connectionsPerUser, int everythingUsers, int throughputThreads, Duration throughputWarmup,
			Duration throughputMeasure, int stormCalls, int gcRounds) {

		/** The full run: a few minutes on 2 cores. */
		public static Sizes full() {
			return new Sizes(2000, 10, 300, 30, 150, 1000, 2, 100, 16, Duration.ofSeconds(3), Duration.ofSeconds(10),
					100, 5);
		}

		/** A smoke run: every figure, tiny sizes. */
		public static Sizes quick() {
			return new Sizes(30, 2, 10, 1, 3, 5, 2, 3, 4, Duration.ofMillis(100), Duration.ofMillis(300), 10, 1);
		}

	}

	private record Target(String name, String url) {
	}

	private final Sizes sizes;

	private final Map<String, Double> results = new LinkedHashMap<>();

	private final List<String[]> table = new ArrayList<>();

	private ConfigurableApplicationContext app;

	private McpToolExecutor executor;

	private McpConnectionService connections;

	private McpConnectionRepository repository;

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
			this.app = instance(database, key, true, "mcp.connector.client.max-sessions=100000");
			try {
				this.executor = this.app.getBean(McpToolExecutor.class);
				this.connections = this.app.getBean(McpConnectionService.class);
				this.repository = this.app.getBean(McpConnectionRepository.class);
				List<Target> targets = List.of(new Target("fast", fast.mcpUrl()),
						new Target("everything", everything.mcpUrl()));
				long statements = 0;
				long taken = 0;
				long warmCalls = 0;
				for (Target target : targets) {
					long[] counts = latency(target);
					statements += counts[0];
					taken += counts[1];
					warmCalls += counts[2];
				}
				put("sql_statements_per_warm_call", "SQL statements per warm call", (double) statements / warmCalls,
						"goal 0", statements == 0);
				put("db_connections_per_warm_call", "DB connections taken per warm call", (double) taken / warmCalls,
						"goal 0", taken == 0);
				throughputAndHeap(targets.get(0), this.sizes.users(), this.sizes.connectionsPerUser(), true);
				throughputAndHeap(targets.get(1), this.sizes.everythingUsers(), this.sizes.connectionsPerUser(), false);
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

	/** @return statements, connections and calls counted over the warm executor calls */
	private long[] latency(Target target) {
		String n = target.name();
		Map<String, Object> arguments = Map.of("message", "hello");
		McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("echo", arguments);

		// --- warm: one persistent session each
		McpOwner owner = McpOwner.of("warm-" + n + "-" + UUID.randomUUID());
		UUID id = newConnection(owner, target, true);
		McpSyncClient raw = rawClient(target.url());
		raw.initialize();
		for (int i = 0; i < this.sizes.warmupCalls(); i++) {
			raw.callTool(request);
			this.executor.callTool(owner, id, "echo", arguments);
		}
		int perRound = this.sizes.warmCallsPerRound();
		long[] rawSamples = new long[this.sizes.warmRounds() * perRound];
		long[] ourSamples = new long[rawSamples.length];
		long statements = 0;
		long taken = 0;
		for (int round = 0; round < this.sizes.warmRounds(); round++) {
			boolean rawFirst = round % 2 == 0;
			for (int side = 0; side < 2; side++) {
				boolean isRaw = (side == 0) == rawFirst;
				long s0 = CountingDataSourceConfiguration.STATEMENTS.get();
				long c0 = CountingDataSourceConfiguration.CONNECTIONS.get();
				for (int i = 0; i < perRound; i++) {
					long t0 = System.nanoTime();
					if (isRaw) {
						raw.callTool(request);
					}
					else {
						this.executor.callTool(owner, id, "echo", arguments);
					}
					long t = System.nanoTime() - t0;
					(isRaw ? rawSamples : ourSamples)[round * perRound + i] = t;
				}
				if (!isRaw) {
					statements += CountingDataSourceConfiguration.STATEMENTS.get() - s0;
					taken += CountingDataSourceConfiguration.CONNECTIONS.get() - c0;
				}
			}
		}
		raw.close();
		this.executor.close(owner, id);
		double rawWarm = median(rawSamples);
		double ourWarm = median(ourSamples);
		put(n + "_warm_call_median_us_raw_sdk", n + ": warm call median, raw SDK (us)", rawWarm / 1e3, "", null);
		put(n + "_warm_call_median_us_executor", n + ": warm call median, executor (us)", ourWarm / 1e3, "", null);
		put(n + "_warm_call_p90_us_raw_sdk", n + ": warm call p90, raw SDK (us)", percentile(rawSamples, 0.9) / 1e3,
				"", null);
		put(n + "_warm_call_p90_us_executor", n + ": warm call p90, executor (us)",
				percentile(ourSamples, 0.9) / 1e3, "", null);
		put(n + "_warm_call_ratio", n + ": warm executor / warm raw SDK (medians)", ourWarm / rawWarm, "goal <= 1.05",
				ourWarm / rawWarm <= 1.05);

		// --- first call of a user vs raw connect + initialize + call (and naive: + close)
		int total = this.sizes.firstCallWarmup() + this.sizes.firstCalls();
		List<McpOwner> owners = new ArrayList<>();
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			McpOwner user = McpOwner.of("first-" + n + "-" + i + "-" + UUID.randomUUID());
			owners.add(user);
			ids.add(newConnection(user, target, true));
		}
		long[] rawFirst = new long[this.sizes.firstCalls()];
		long[] naive = new long[this.sizes.firstCalls()];
		long[] ourFirst = new long[this.sizes.firstCalls()];
		long[] dbPart = new long[this.sizes.firstCalls()];
		McpAuthorizationService authorization = this.app.getBean(McpAuthorizationService.class);
		long firstStatements = 0;
		for (int i = 0; i < total; i++) {
			int sample = i - this.sizes.firstCallWarmup();
			for (int side = 0; side < 2; side++) {
				boolean isRaw = (side == 0) == (i % 2 == 0);
				if (isRaw) {
					long t0 = System.nanoTime();
					McpSyncClient client = rawClient(target.url());
					client.initialize();
					client.callTool(request);
					long t1 = System.nanoTime();
					client.close();
					long t2 = System.nanoTime();
					if (sample >= 0) {
						rawFirst[sample] = t1 - t0;
						naive[sample] = t2 - t0;
					}
				}
				else {
					long s0 = CountingDataSourceConfiguration.STATEMENTS.get();
					long t0 = System.nanoTime();
					this.executor.callTool(owners.get(i), ids.get(i), "echo", arguments);
					long t1 = System.nanoTime();
					if (sample >= 0) {
						ourFirst[sample] = t1 - t0;
						firstStatements += CountingDataSourceConfiguration.STATEMENTS.get() - s0;
					}
					this.executor.close(owners.get(i), ids.get(i));
					// The database part of that first call alone: what the executor reads before
					// it opens a session (the connection, then its decrypted credentials).
					long d0 = System.nanoTime();
					this.connections.get(owners.get(i), ids.get(i));
					authorization.credentials(owners.get(i), ids.get(i));
					if (sample >= 0) {
						dbPart[sample] = System.nanoTime() - d0;
					}
				}
			}
		}
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
		put(n + "_naive_call_median_ms", n + ": naive connect+init+call+close median (ms)", naiveMedian / 1e6, "",
				null);
		put(n + "_naive_vs_warm_ratio", n + ": naive per-call connect / executor warm call", naiveMedian / ourWarm,
				"goal >= 3", naiveMedian / ourWarm >= 3);
		return new long[] { statements, taken, (long) ourSamples.length };
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
			double ours = throughput(sessions,
					(i) -> this.executor.callTool(owners.get(i), ids.get(i), "echo", arguments));
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
			double raw = throughput(sessions, (i) -> clients[i].callTool(request));
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
				put("heap_per_idle_session_bytes_executor", "heap per idle pooled session, executor (bytes, N="
						+ sessions + ")", ourHeap, "goal <= 65536", ourHeap <= 65536);
				put("heap_per_idle_session_bytes_raw_sdk", "heap per idle session, raw SDK client (bytes)", rawHeap, "",
						null);
				put("threads_per_idle_session_executor", "live threads per idle pooled session, executor", ourThreads,
						"", null);
				put("threads_per_idle_session_raw_sdk", "live threads per idle session, raw SDK", rawThreads, "", null);
			}
		}
		finally {
			setup.shutdownNow();
			System.gc(); // lets the closed clients' HttpClients (and their sockets) go
		}
	}

	private double throughput(int sessions, java.util.function.IntConsumer call) throws Exception {
		int threads = this.sizes.throughputThreads();
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
				ConfigurableApplicationContext first = instance(database, key, false,
						"mcp.connector.authorization.refresh-skew=0s", "spring.datasource.hikari.maximum-pool-size=5");
				ConfigurableApplicationContext second = instance(database, key, false,
						"mcp.connector.authorization.refresh-skew=0s",
						"spring.datasource.hikari.maximum-pool-size=5")) {
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

	private UUID newConnection(McpOwner owner, Target target, boolean withToken) {
		McpConnection connection = this.connections.create(owner, new NewConnection(target.url(), target.name(), null),
				ConnectionStatus.ACTIVE);
		if (withToken) {
			// The servers ignore it; storing one makes the first call load and decrypt a secret.
			this.repository.saveCredentials(owner, connection.id(),
					new ConnectionCredentials("bench-" + UUID.randomUUID(), null, "Bearer", null, Set.of()));
		}
		return connection.id();
	}

	private static McpSyncClient rawClient(String url) {
		URI uri = URI.create(url);
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder(uri.getScheme() + "://" + uri.getRawAuthority())
			.endpoint(uri.getRawPath())
			.build();
		return McpClient.sync(transport).clientInfo(new McpSchema.Implementation("raw-sdk-bench", "1.0.0")).build();
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
