package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("fast")
class ExchangeRecorderTests {

	private final ExchangeRecorder recorder = new ExchangeRecorder();

	private final HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1/mcp"))
		.POST(HttpRequest.BodyPublishers.noBody())
		.header("Mcp-Session-Id", "s1")
		.build();

	@Test
	void sinceWhenFailedDuringTheOperationThenReported() {
		this.recorder.response(this.post, 200);
		long mark = this.recorder.mark();
		this.recorder.response(this.post, 404);
		assertThat(this.recorder.since(mark)).singleElement()
			.isInstanceOfSatisfying(UpstreamHttpStatusException.class, (status) -> {
				assertThat(status.status()).isEqualTo(404);
				assertThat(status.isPost()).isTrue();
				assertThat(status.inSession()).isTrue();
			});
	}

	@Test
	void sinceWhenFailedBeforeTheOperationButAfterTheLastSuccessThenReported() {
		this.recorder.response(this.post, 200);
		IOException lost = new IOException("stream");
		this.recorder.failure(lost);
		long mark = this.recorder.mark();
		assertThat(this.recorder.since(mark)).containsExactly(lost);
	}

	@Test
	void sinceWhenASuccessFollowedTheFailureThenNotReported() {
		this.recorder.failure(new IOException("old"));
		this.recorder.response(this.post, 202);
		long mark = this.recorder.mark();
		assertThat(this.recorder.since(mark)).isEmpty();
	}

	@Test
	void keepsOnlyTheLatestFailures() {
		for (int i = 0; i < 20; i++) {
			this.recorder.response(this.post, 500);
		}
		assertThat(this.recorder.since(0)).hasSize(8);
	}

}
