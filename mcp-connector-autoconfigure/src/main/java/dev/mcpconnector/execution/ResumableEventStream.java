package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The event stream that answered one Streamable HTTP POST, resumed when the server ends it
 * (or it breaks) before the JSON-RPC response: after the server's {@code retry} (else 1 s,
 * 1.5 s, ...; 30 s at most) a GET to the same URL with {@code Accept: text/event-stream},
 * {@code Last-Event-ID} and the POST's {@code Authorization}, {@code Mcp-Session-Id} and
 * {@code MCP-Protocol-Version}, whose events the SDK reads as the rest of the POST's stream
 * (MCP 2025-11-25, basic/transports, "Resumability and Redelivery"; SEP-1699). Only when the
 * stream carried an event id; at most {@value #MAX_ATTEMPTS} GETs; a GET is cancelled once the
 * response went by.
 * <p>
 * Why here and not in the SDK: MCP Java SDK 2.2.0's
 * {@code HttpClientStreamableHttpTransport.sendMessage} reads a POST's event stream with no
 * stream object to resume ({@code consumeSseStream(body, null)}), so it never sends the GET;
 * it resumes only its own GET stream. What it does read is the body publisher of the
 * {@link HttpClient} it is given, so {@link RecordingHttpClient} hands it this one instead.
 * <p>
 * The GETs go straight to the egress-guarded client, not through the recorder: a lost resume
 * must not look like a lost session, which would replay the tool call. When the last GET
 * fails, the stream fails with an {@link IOException} that has no socket exception among its
 * causes: if nothing reached the SDK yet (events without data are withheld, see
 * {@link SseEventScanner}), the SDK fails the request with it, which the translator reports as
 * upstream-unreachable; if the server had sent something (a progress notification, a request)
 * before it broke off, the SDK has already counted the POST as delivered and the call ends
 * with its timeout.
 */
final class ResumableEventStream {

	static final int MAX_ATTEMPTS = 2;

	private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final String EVENT_STREAM = "text/event-stream";

	private static final List<String> CARRIED_HEADERS = List.of("Authorization", "Mcp-Session-Id",
			"MCP-Protocol-Version");

	private static final Logger logger = LoggerFactory.getLogger(ResumableEventStream.class);

	private final HttpClient http;

	private final HttpRequest post;

	private final SseEventScanner scanner;

	private int attempts;

	private boolean responded;

	private ResumableEventStream(HttpClient http, HttpRequest post, int maxEventBytes) {
		this.http = http;
		this.post = post;
		this.scanner = new SseEventScanner(maxEventBytes);
	}

	/**
	 * The response to hand the SDK: the same one, unless it is a POST answered with an event
	 * stream, whose body then resumes.
	 * @param <T> the body type ({@code Flow.Publisher<List<ByteBuffer>>} for the SDK)
	 * @param http the client to send the GETs through (the egress-guarded one)
	 * @param request the request sent
	 * @param response its response
	 * @param maxEventBytes the most bytes one event may take
	 * @return the response to hand on
	 */
	@SuppressWarnings("unchecked")
	static <T> HttpResponse<T> of(HttpClient http, HttpRequest request, HttpResponse<T> response,
			int maxEventBytes) {
		if (!"POST".equals(request.method()) || !isEventStream(response)
				|| !(response.body() instanceof Flow.Publisher<?> body)) {
			return response;
		}
		ResumableEventStream stream = new ResumableEventStream(http, request, maxEventBytes);
		return new Resumed<>(response, (T) stream.body((Flow.Publisher<List<ByteBuffer>>) body));
	}

	private static boolean isEventStream(HttpResponse<?> response) {
		return response.statusCode() >= 200 && response.statusCode() < 300 && response.headers()
			.firstValue("Content-Type")
			.map((type) -> type.toLowerCase(Locale.ROOT).contains(EVENT_STREAM))
			.orElse(false);
	}

	private Flow.Publisher<List<ByteBuffer>> body(Flow.Publisher<List<ByteBuffer>> postBody) {
		return JdkFlowAdapter.publisherToFlowPublisher(Flux.defer(() -> stream(postBody, false)));
	}

	/** One stream's whole events, then what follows its end. */
	private Flux<List<ByteBuffer>> stream(Flow.Publisher<List<ByteBuffer>> body, boolean resumed) {
		this.scanner.newStream();
		Throwable[] failure = new Throwable[1];
		Flux<SseEventScanner.Event> events = JdkFlowAdapter.flowPublisherToFlux(body)
			.concatMapIterable(this.scanner::feed);
		if (resumed) {
			// The server may keep a GET stream open after the response: this request is done.
			events = events.takeUntil(SseEventScanner.Event::response);
		}
		return events.doOnNext((event) -> this.responded |= event.response())
			.map(SseEventScanner.Event::bytes)
			.onErrorResume((ex) -> {
				failure[0] = ex;
				return Flux.empty();
			})
			.concatWith(Flux.defer(() -> ended(failure[0])));
	}

	private Flux<List<ByteBuffer>> ended(Throwable failure) {
		boolean resumable = !this.responded && this.scanner.lastId() != null
				&& (failure == null || failure instanceof IOException);
		if (!resumable) {
			// What the SDK saw before: the end or the failure as it came.
			return (failure != null) ? Flux.error(failure) : Flux.empty();
		}
		return resume(failure);
	}

	private Flux<List<ByteBuffer>> resume(Throwable cause) {
		if (this.attempts >= MAX_ATTEMPTS) {
			IOException lost = new IOException("The event stream of a request ended before its response and "
					+ this.attempts + " attempts to resume it failed");
			if (cause != null) {
				// Suppressed, not the cause: a reset socket must not read as a lost session.
				lost.addSuppressed(cause);
			}
			return Flux.error(lost);
		}
		Duration wait = delay(this.attempts++);
		logger.debug("Resuming the event stream of a request to {} in {} ms (attempt {} of {})", this.post.uri().getHost(),
				wait.toMillis(), this.attempts, MAX_ATTEMPTS);
		return Mono.delay(wait)
			.then(Mono.fromFuture(() -> this.http.sendAsync(get(), HttpResponse.BodyHandlers.ofPublisher())))
			.materialize()
			.flatMapMany((signal) -> signal.isOnError() ? resume(signal.getThrowable()) : resumed(signal.get()));
	}

	private Flux<List<ByteBuffer>> resumed(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
		if (response == null) {
			return resume(null);
		}
		if (!isEventStream(response)) {
			response.body().subscribe(new Cancelling());
			return resume(new IOException("The server answered the GET that resumes an event stream with HTTP "
					+ response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("")));
		}
		return stream(response.body(), true);
	}

	private Duration delay(int attempt) {
		Long retry = this.scanner.retryMillis();
		if (retry != null) {
			// At most the longest backoff: the SDK's request timeout does not stop this stream,
			// so a wait of hours would send a GET long after the caller gave up.
			return Duration.ofMillis(Math.min(retry, MAX_BACKOFF.toMillis()));
		}
		double millis = FIRST_BACKOFF.toMillis() * Math.pow(1.5, attempt);
		return Duration.ofMillis((long) Math.min(millis, MAX_BACKOFF.toMillis()));
	}

	private HttpRequest get() {
		HttpRequest.Builder get = HttpRequest.newBuilder(this.post.uri())
			.GET()
			.header("Accept", EVENT_STREAM)
			.header("Cache-Control", "no-cache")
			.header("Last-Event-ID", this.scanner.lastId());
		for (String name : CARRIED_HEADERS) {
			this.post.headers().firstValue(name).ifPresent((value) -> get.header(name, value));
		}
		this.post.timeout().ifPresent(get::timeout);
		this.post.version().ifPresent(get::version);
		return get.build();
	}

	/** Cancels a body nobody will read (a GET answered with something other than a stream). */
	private static final class Cancelling implements Flow.Subscriber<List<ByteBuffer>> {

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.cancel();
		}

		@Override
		public void onNext(List<ByteBuffer> item) {
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

	/** The POST's response with the resuming body. */
	private record Resumed<T>(HttpResponse<T> response, T body) implements HttpResponse<T> {

		@Override
		public int statusCode() {
			return this.response.statusCode();
		}

		@Override
		public HttpRequest request() {
			return this.response.request();
		}

		@Override
		public Optional<HttpResponse<T>> previousResponse() {
			return this.response.previousResponse();
		}

		@Override
		public HttpHeaders headers() {
			return this.response.headers();
		}

		@Override
		public Optional<SSLSession> sslSession() {
			return this.response.sslSession();
		}

		@Override
		public URI uri() {
			return this.response.uri();
		}

		@Override
		public HttpClient.Version version() {
			return this.response.version();
		}

		@Override
		public String toString() {
			return "Resumed" + this.response;
		}

	}

}
