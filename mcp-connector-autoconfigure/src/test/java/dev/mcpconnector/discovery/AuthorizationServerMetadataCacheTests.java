package dev.mcpconnector.discovery;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.mcpconnector.egress.EgressHttpClient;
import dev.mcpconnector.egress.EgressPolicy;
import dev.mcpconnector.test.TestClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorization server metadata cache keeps few, and not for long. */
@Tag("fast")
class AuthorizationServerMetadataCacheTests {

	private final TestClock clock = new TestClock(Instant.parse("2026-01-01T10:00:00Z"));

	@Test
	void putWhenFullThenTheLeastRecentlyUsedIssuerGoes() {
		AuthorizationServerMetadataCache cache = new AuthorizationServerMetadataCache(2, Duration.ofHours(1),
				this.clock);
		cache.put(metadata("https://a.example.com"));
		cache.put(metadata("https://b.example.com"));
		assertThat(cache.get("https://a.example.com")).isPresent();

		cache.put(metadata("https://c.example.com"));

		assertThat(cache.size()).isEqualTo(2);
		assertThat(cache.get("https://b.example.com")).isEmpty();
		assertThat(cache.get("https://a.example.com")).isPresent();
		assertThat(cache.get("https://c.example.com")).isPresent();
	}

	@Test
	void getWhenTheEntryOutlivedItsTimeToLiveThenEmpty() {
		AuthorizationServerMetadataCache cache = new AuthorizationServerMetadataCache(10, Duration.ofMinutes(5),
				this.clock);
		cache.put(metadata("https://a.example.com"));
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(cache.get("https://a.example.com")).isPresent();

		this.clock.advance(Duration.ofMinutes(1));

		assertThat(cache.get("https://a.example.com")).isEmpty();
		assertThat(cache.size()).isZero();
	}

	@Test
	void getWhenAnotherIssuerSpellingThenEmpty() {
		AuthorizationServerMetadataCache cache = new AuthorizationServerMetadataCache(10, Duration.ofMinutes(5),
				this.clock);
		cache.put(metadata("https://a.example.com"));

		assertThat(cache.get("https://a.example.com/")).isEmpty();
	}

	@Test
	void metadataDiscoveryWhenForgettingThenNothingIsKept() {
		EgressHttpClient http = new EgressHttpClient(EgressPolicy.strict(), Duration.ofSeconds(1), Duration.ofSeconds(1),
				1024, 0);
		MetadataDiscovery discovery = new MetadataDiscovery(http, Set.of(), 1, Duration.ofMinutes(5), this.clock);
		discovery.cacheAuthorizationServer(metadata("https://a.example.com"));
		discovery.cacheAuthorizationServer(metadata("https://b.example.com"));
		assertThat(discovery.cachedAuthorizationServer("https://a.example.com")).isEmpty();
		assertThat(discovery.cachedAuthorizationServer("https://b.example.com")).isPresent();

		discovery.forgetAuthorizationServers();

		assertThat(discovery.cachedAuthorizationServer("https://b.example.com")).isEmpty();
		assertThat(discovery.cachedAuthorizationServer(null)).isEmpty();
	}

	/**
	 * A tenant's connection to a server without metadata at a well-known issuer's origin (Google
	 * serves only OpenID configuration there) must not replace that issuer's discovered endpoints
	 * with the 2025-03-26 defaults for every other tenant.
	 */
	@Test
	void putWhenADefaultEndpointsFallbackNamesADiscoveredIssuerThenTheDiscoveredOneStays() {
		AuthorizationServerMetadataCache cache = new AuthorizationServerMetadataCache(10, Duration.ofHours(1),
				this.clock);
		AuthorizationServerMetadata discovered = metadata("https://accounts.example.com",
				AuthorizationServerMetadata.Source.OPENID_CONFIGURATION);
		cache.put(discovered);

		cache.put(metadata("https://accounts.example.com", AuthorizationServerMetadata.Source.DEFAULT_ENDPOINTS));

		assertThat(cache.get("https://accounts.example.com")).contains(discovered);
		AuthorizationServerMetadata rediscovered = metadata("https://accounts.example.com",
				AuthorizationServerMetadata.Source.OAUTH_METADATA);
		cache.put(rediscovered);
		assertThat(cache.get("https://accounts.example.com")).contains(rediscovered);
	}

	@Test
	void putWhenTheDiscoveredEntryExpiredThenAFallbackMayTakeItsPlace() {
		AuthorizationServerMetadataCache cache = new AuthorizationServerMetadataCache(10, Duration.ofMinutes(5),
				this.clock);
		cache.put(metadata("https://a.example.com", AuthorizationServerMetadata.Source.OAUTH_METADATA));
		this.clock.advance(Duration.ofMinutes(5));
		AuthorizationServerMetadata fallback = metadata("https://a.example.com",
				AuthorizationServerMetadata.Source.DEFAULT_ENDPOINTS);

		cache.put(fallback);

		assertThat(cache.get("https://a.example.com")).contains(fallback);
	}

	private static AuthorizationServerMetadata metadata(String issuer) {
		return metadata(issuer, AuthorizationServerMetadata.Source.OAUTH_METADATA);
	}

	private static AuthorizationServerMetadata metadata(String issuer, AuthorizationServerMetadata.Source source) {
		return new AuthorizationServerMetadata(issuer, URI.create(issuer + "/authorize"), URI.create(issuer + "/token"),
				null, null, List.of("S256"), Set.of(), List.of(), Set.of(), false, false, null, null, Set.of(),
				source);
	}

}
