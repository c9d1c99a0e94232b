package dev.mcpconnector.egress;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A response read through the {@link EgressHttpClient}, body already capped in size.
 *
 * @param uri the URL that answered (after any redirects)
 * @param status the status code
 * @param headers the headers
 * @param body the body
 */
public record EgressResponse(URI uri, int status, HttpHeaders headers, byte[] body) {

	public String bodyAsString() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	public Optional<String> header(String name) {
		return this.headers.firstValue(name);
	}

	/** @return whether this is a successful answer that opens a {@code text/event-stream} */
	public boolean isEventStream() {
		return isSuccess() && header("Content-Type").orElse("")
			.toLowerCase(java.util.Locale.ROOT)
			.startsWith("text/event-stream");
	}

	public boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

	public boolean isJson() {
		return header("Content-Type").map((type) -> type.toLowerCase(java.util.Locale.ROOT).contains("json"))
			.orElse(false);
	}

	@Override
	public String toString() {
		return "EgressResponse[uri=" + this.uri + ", status=" + this.status + ", bodyLength=" + this.body.length + "]";
	}

}
