package dev.mcpconnector.authorization;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpconnector.discovery.BearerChallenge;
import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Whether a protected resource takes DPoP tokens: it challenges with the {@code DPoP} scheme
 * (RFC 9449 §7.1) or its protected resource metadata lists
 * {@code dpop_signing_alg_values_supported} or sets {@code dpop_bound_access_tokens_required}
 * (RFC 9728 §2). An authorization server that advertises DPoP (Spring Authorization Server does
 * by default) may guard resource servers that take only bearer tokens, and a bound token is of
 * no use to those: so a token is bound only when the resource says it takes one. Asked once per
 * resource an hour, with an unauthenticated request; an unreachable resource counts as no.
 * Written here rather than taken from the MCP probe: the probe keeps only a Bearer challenge's
 * parameters, and this needs the scheme and two metadata fields nothing else reads.
 */
final class ResourceDpopSupport {

	private static final Duration REMEMBERED = Duration.ofHours(1);

	private static final byte[] PING = "{\"jsonrpc\":\"2.0\",\"id\":\"dpop-probe\",\"method\":\"ping\"}"
		.getBytes(StandardCharsets.UTF_8);

	private final EgressHttpClient http;

	private final Clock clock;

	private final Map<URI, Answer> answers = new ConcurrentHashMap<>();

	ResourceDpopSupport(EgressHttpClient http, Clock clock) {
		Assert.notNull(http, "http cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.http = http;
		this.clock = clock;
	}

	/**
	 * @param resource the protected resource (the MCP server's URL)
	 * @return whether it takes DPoP-bound tokens
	 */
	boolean takesDpop(URI resource) {
		if (resource == null) {
			return false;
		}
		Instant now = this.clock.instant();
		Answer known = this.answers.get(resource);
		if (known != null && now.isBefore(known.until())) {
			return known.dpop();
		}
		boolean dpop = ask(resource);
		if (this.answers.size() > 1000) {
			this.answers.clear();
		}
		this.answers.put(resource, new Answer(dpop, now.plus(REMEMBERED)));
		return dpop;
	}

	private boolean ask(URI resource) {
		try {
			EgressResponse response = this.http.post(resource, "application/json", PING,
					Map.of("Accept", "application/json, text/event-stream"));
			List<String> challenges = response.headers().allValues("WWW-Authenticate");
			if (BearerChallenge.offersDpop(challenges)) {
				return true;
			}
			URI metadata = BearerChallenge.parse(challenges)
				.flatMap(BearerChallenge::resourceMetadata)
				.map(URI::create)
				.orElse(null);
			return metadata != null && metadataTakesDpop(metadata);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private boolean metadataTakesDpop(URI metadata) {
		EgressResponse response = this.http.get(metadata, Map.of("Accept", "application/json"));
		if (response.status() != 200) {
			return false;
		}
		JsonNode document = JsonMapper.shared().readTree(response.bodyAsString());
		JsonNode algorithms = document.get("dpop_signing_alg_values_supported");
		JsonNode required = document.get("dpop_bound_access_tokens_required");
		return (algorithms != null && algorithms.isArray() && !algorithms.isEmpty())
				|| (required != null && required.asBoolean(false));
	}

	private record Answer(boolean dpop, Instant until) {
	}

}
