package dev.mcpconnector.execution;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.modelcontextprotocol.spec.McpTransportException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The SSE reading under {@link ResumableEventStream}: whole events out, the last id and the
 * server's {@code retry} kept, whatever the chunking and line endings.
 */
@Tag("fast")
class SseEventScannerTests {

	private final SseEventScanner scanner = new SseEventScanner(1024);

	@Test
	void feedWhenLinesSplitAcrossChunksWithCrLfThenWholeEventsWithLfEndings() {
		List<String> events = feed("id: a\r", "\ndata: {\"x\"", ":1}\r\n\r", "\ndata: two\r\r");
		assertThat(events).containsExactly("id: a\ndata: {\"x\":1}\n\n", "data: two\n\n");
		assertThat(this.scanner.lastId()).isEqualTo("a");
	}

	@Test
	void feedWhenPrimingEventThenWithheldButIdAndRetryKept() {
		assertThat(feed("id: event-1\nretry: 500\ndata: \n\n", ": comment\n\n")).isEmpty();
		assertThat(this.scanner.lastId()).isEqualTo("event-1");
		assertThat(this.scanner.retryMillis()).isEqualTo(500L);
	}

	@Test
	void feedWhenJsonRpcResponseThenMarkedAndRequestsOrNotificationsNot() {
		List<SseEventScanner.Event> events = this.scanner.feed(List.of(bytes(
				"data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}\n\n"
						+ "data: {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"sampling/createMessage\"}\n\n"
						+ "data: {\"jsonrpc\":\"2.0\",\"id\":\"x-1\",\"error\":{\"code\":-1,\"message\":\"no\"}}\n\n"
						+ "data: not json\n\n")));
		assertThat(events).extracting(SseEventScanner.Event::response).containsExactly(false, false, true, false);
	}

	@Test
	void newStreamWhenEventWasCutOffThenItAndItsIdAreDropped() {
		feed("id: 1\ndata: \n\nid: 2\ndata: {\"half\"");
		this.scanner.newStream();
		assertThat(feed("data: whole\n\n")).containsExactly("data: whole\n\n");
		assertThat(this.scanner.lastId()).isEqualTo("1");
	}

	@Test
	void feedWhenEmptyIdThenLastIdCleared() {
		feed("id: 1\ndata: \n\n", "id\ndata: \n\n");
		assertThat(this.scanner.lastId()).isNull();
	}

	@Test
	void feedWhenRetryNotDigitsThenIgnored() {
		feed("retry: 200\n\n", "retry: soon\n\n", "retry: -5\n\n");
		assertThat(this.scanner.retryMillis()).isEqualTo(200L);
	}

	@Test
	void feedWhenEventOverCapThenFails() {
		String big = "data: " + "x".repeat(2000);
		assertThatExceptionOfType(McpTransportException.class).isThrownBy(() -> feed(big));
	}

	@Test
	void feedDoesNotConsumeTheGivenBuffers() {
		ByteBuffer buffer = bytes("data: x\n\n");
		this.scanner.feed(List.of(buffer));
		assertThat(buffer.remaining()).isEqualTo(9);
	}

	private List<String> feed(String... chunks) {
		List<String> events = new ArrayList<>();
		for (String chunk : chunks) {
			for (SseEventScanner.Event event : this.scanner.feed(List.of(bytes(chunk)))) {
				for (ByteBuffer buffer : event.bytes()) {
					events.add(StandardCharsets.UTF_8.decode(buffer.duplicate()).toString());
				}
			}
		}
		return events;
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
