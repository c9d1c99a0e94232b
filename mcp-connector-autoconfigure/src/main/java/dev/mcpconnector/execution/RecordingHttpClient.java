package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The {@link HttpClient} a session's SDK transport sends through: it delegates every method to
 * the egress-guarded client and tells an {@link ExchangeRecorder} the status of every answer
 * and the I/O failure of every exchange that got none (a failure while reading a body that
 * arrived, such as one over the size cap, is not recorded). Built by
 * {@link #resumingEventStreams(HttpClient.Builder, int)}, it also resumes the event streams that
 * answer POSTs ({@link ResumableEventStream}).
 */
final class RecordingHttpClient extends HttpClient {

	private final HttpClient delegate;

	private final ExchangeRecorder recorder;

	/** The most bytes one resumed event may take; 0: POST event streams go to the SDK as they come. */
	private final int resumableEventBytes;

	RecordingHttpClient(HttpClient delegate, ExchangeRecorder recorder) {
		this(delegate, recorder, 0);
	}

	private RecordingHttpClient(HttpClient delegate, ExchangeRecorder recorder, int resumableEventBytes) {
		this.delegate = delegate;
		this.recorder = recorder;
		this.resumableEventBytes = resumableEventBytes;
	}

	/**
	 * A builder that builds a recording client around what the given builder builds, for the
	 * SDK transports' {@code clientBuilder(...)}.
	 * @param builder the egress client's builder
	 * @param recorder the recorder
	 * @return the builder to hand the SDK
	 */
	static HttpClient.Builder builder(HttpClient.Builder builder, ExchangeRecorder recorder) {
		return new RecordingBuilder(builder, recorder);
	}

	/**
	 * A builder that wraps an already built client (shared by many sessions) with a recorder of
	 * its own. The SDK transports set only the connect timeout on the builder they are given,
	 * which the shared client was built with; every setting is the shared client's.
	 * @param shared the egress client's shared JDK client
	 * @param recorder the session's recorder
	 * @return the builder to hand the SDK
	 */
	static HttpClient.Builder builder(HttpClient shared, ExchangeRecorder recorder) {
		RecordingBuilder builder = new RecordingBuilder(HttpClient.newBuilder(), recorder);
		builder.shared = shared;
		return builder;
	}

	/**
	 * The same builder, now building a client that resumes POST event streams (the Streamable
	 * HTTP transport of MCP 2025-11-25 and earlier only: 2026-07-28 has no resumption).
	 * @param builder a builder from {@link #builder(HttpClient.Builder, ExchangeRecorder)}
	 * (any other is wrapped with a recorder of its own)
	 * @param maxEventBytes the most bytes one event may take (the response size cap)
	 * @return the builder to hand the SDK
	 */
	static HttpClient.Builder resumingEventStreams(HttpClient.Builder builder, int maxEventBytes) {
		RecordingBuilder recording = (builder instanceof RecordingBuilder existing) ? existing
				: new RecordingBuilder(builder, new ExchangeRecorder());
		recording.resumableEventBytes = Math.max(1, maxEventBytes);
		return recording;
	}

	@Override
	public Optional<CookieHandler> cookieHandler() {
		return this.delegate.cookieHandler();
	}

	@Override
	public Optional<Duration> connectTimeout() {
		return this.delegate.connectTimeout();
	}

	@Override
	public Redirect followRedirects() {
		return this.delegate.followRedirects();
	}

	@Override
	public Optional<ProxySelector> proxy() {
		return this.delegate.proxy();
	}

	@Override
	public SSLContext sslContext() {
		return this.delegate.sslContext();
	}

	@Override
	public SSLParameters sslParameters() {
		return this.delegate.sslParameters();
	}

	@Override
	public Optional<Authenticator> authenticator() {
		return this.delegate.authenticator();
	}

	@Override
	public Version version() {
		return this.delegate.version();
	}

	@Override
	public Optional<Executor> executor() {
		return this.delegate.executor();
	}

	@Override
	public WebSocket.Builder newWebSocketBuilder() {
		return this.delegate.newWebSocketBuilder();
	}

	@Override
	public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		AtomicBoolean answered = new AtomicBoolean();
		try {
			return this.delegate.send(request, recording(request, handler, answered));
		}
		catch (IOException ex) {
			if (!answered.get()) {
				this.recorder.failure(ex);
			}
			throw ex;
		}
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		AtomicBoolean answered = new AtomicBoolean();
		return observed(request, this.delegate.sendAsync(request, recording(request, handler, answered)), answered);
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
			HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
		AtomicBoolean answered = new AtomicBoolean();
		return observed(request,
				this.delegate.sendAsync(request, recording(request, handler, answered), pushPromiseHandler), answered);
	}

	private <T> HttpResponse.BodyHandler<T> recording(HttpRequest request, HttpResponse.BodyHandler<T> handler,
			AtomicBoolean answered) {
		return (info) -> {
			answered.set(true);
			this.recorder.response(request, info.statusCode());
			return handler.apply(info);
		};
	}

	/** An I/O failure before any answer (refused, reset, closed): what a lost session looks like. */
	private <T> CompletableFuture<HttpResponse<T>> observed(HttpRequest request,
			CompletableFuture<HttpResponse<T>> exchange, AtomicBoolean answered) {
		// The SDK sees the exchange complete only after the failure is recorded; cancelling
		// (how the SDK closes a stream) still reaches the exchange.
		CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>() {

			@Override
			public boolean cancel(boolean mayInterruptIfRunning) {
				exchange.cancel(mayInterruptIfRunning);
				return super.cancel(mayInterruptIfRunning);
			}

		};
		exchange.whenComplete((response, failure) -> {
			if (failure == null) {
				// Resuming GETs go to the delegate: unrecorded (see ResumableEventStream).
				result.complete((this.resumableEventBytes > 0)
						? ResumableEventStream.of(this.delegate, request, response, this.resumableEventBytes) : response);
				return;
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (!answered.get() && cause instanceof IOException io) {
				this.recorder.failure(io);
			}
			result.completeExceptionally(failure);
		});
		return result;
	}

	@Override
	public String toString() {
		return "RecordingHttpClient[" + this.delegate + "]";
	}

	private static final class RecordingBuilder implements HttpClient.Builder {

		private final HttpClient.Builder delegate;

		private final ExchangeRecorder recorder;

		private int resumableEventBytes;

		/** A client built once and shared: {@link #build()} wraps it instead of building. */
		private HttpClient shared;

		RecordingBuilder(HttpClient.Builder delegate, ExchangeRecorder recorder) {
			this.delegate = delegate;
			this.recorder = recorder;
		}

		@Override
		public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
			this.delegate.cookieHandler(cookieHandler);
			return this;
		}

		@Override
		public HttpClient.Builder connectTimeout(Duration duration) {
			this.delegate.connectTimeout(duration);
			return this;
		}

		@Override
		public HttpClient.Builder sslContext(SSLContext sslContext) {
			this.delegate.sslContext(sslContext);
			return this;
		}

		@Override
		public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
			this.delegate.sslParameters(sslParameters);
			return this;
		}

		@Override
		public HttpClient.Builder executor(Executor executor) {
			this.delegate.executor(executor);
			return this;
		}

		@Override
		public HttpClient.Builder followRedirects(Redirect policy) {
			this.delegate.followRedirects(policy);
			return this;
		}

		@Override
		public HttpClient.Builder version(Version version) {
			this.delegate.version(version);
			return this;
		}

		@Override
		public HttpClient.Builder priority(int priority) {
			this.delegate.priority(priority);
			return this;
		}

		@Override
		public HttpClient.Builder proxy(ProxySelector proxySelector) {
			this.delegate.proxy(proxySelector);
			return this;
		}

		@Override
		public HttpClient.Builder authenticator(Authenticator authenticator) {
			this.delegate.authenticator(authenticator);
			return this;
		}

		@Override
		public HttpClient build() {
			HttpClient client = (this.shared != null) ? this.shared : this.delegate.build();
			return new RecordingHttpClient(client, this.recorder, this.resumableEventBytes);
		}

	}

}
