package dev.mcpconnector.execution;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failed HTTP exchanges of one session's transport, newest last (a few only): a status of
 * 400 or more as an {@link UpstreamHttpStatusException}, an I/O failure as its
 * {@link IOException}. An operation takes a {@link #mark()} before it runs and, when it fails,
 * reads what failed since then, or since the last exchange that succeeded when that is earlier:
 * the SDK may have lost the session in the background (its event stream) before the
 * operation started and then fails it without an exchange of its own.
 */
final class ExchangeRecorder {

	private static final int KEPT = 8;

	private final AtomicLong sequence = new AtomicLong();

	private final Deque<Entry> failures = new ConcurrentLinkedDeque<>();

	private volatile long lastSuccess;

	/**
	 * Where the record stands now.
	 * @return a mark for {@link #since(long)}
	 */
	long mark() {
		return this.sequence.get();
	}

	/**
	 * The failures recorded after a mark or after the last success, whichever is earlier,
	 * oldest first.
	 * @param mark from {@link #mark()}
	 * @return the failures
	 */
	List<Throwable> since(long mark) {
		long after = Math.min(mark, this.lastSuccess);
		List<Throwable> found = new ArrayList<>();
		for (Entry entry : this.failures) {
			if (entry.sequence() > after) {
				found.add(entry.failure());
			}
		}
		return found;
	}

	void response(HttpRequest request, int status) {
		if (status >= 400) {
			add(new UpstreamHttpStatusException(request.method(), status,
					request.headers().firstValue("Mcp-Session-Id").isPresent()));
		}
		else {
			this.lastSuccess = this.sequence.incrementAndGet();
		}
	}

	void failure(IOException ex) {
		add(ex);
	}

	private void add(Throwable failure) {
		this.failures.addLast(new Entry(this.sequence.incrementAndGet(), failure));
		while (this.failures.size() > KEPT) {
			this.failures.pollFirst();
		}
	}

	private record Entry(long sequence, Throwable failure) {
	}

}
