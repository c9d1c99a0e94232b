package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The claims checks of an ID token, each refusal with its own reason. */
@Tag("fast")
class IdTokenClaimsVerifierTests {

	private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

	private static final Duration SKEW = Duration.ofSeconds(60);

	private final IdTokenClaimsVerifier verifier = new IdTokenClaimsVerifier("https://as.example", "client-1", SKEW,
			Clock.fixed(NOW, ZoneOffset.UTC));

	private static JWTClaimsSet.Builder valid() {
		return new JWTClaimsSet.Builder().issuer("https://as.example")
			.audience("client-1")
			.subject("user-7")
			.issueTime(Date.from(NOW.minusSeconds(10)))
			.expirationTime(Date.from(NOW.plusSeconds(300)));
	}

	private InvalidIdTokenException.Reason refusal(JWTClaimsSet claims) {
		IdTokenClaimsVerifier.Refused refused = catchThrowableOfType(IdTokenClaimsVerifier.Refused.class,
				() -> this.verifier.verify(claims, null));
		assertThat(refused).as("refused").isNotNull();
		assertThat(refused.getMessage()).doesNotContain("user-7").doesNotContain("client-1");
		return refused.reason();
	}

	@Test
	void verifyWhenEveryClaimFitsThenAccepted() {
		assertThatNoException().isThrownBy(() -> this.verifier.verify(valid().build(), null));
	}

	@Test
	void verifyWhenOneOfSeveralAudiencesIsUsThenAccepted() {
		assertThatNoException()
			.isThrownBy(() -> this.verifier.verify(valid().audience(List.of("other", "client-1")).build(), null));
	}

	@Test
	void verifyWhenIssuerDiffersThenIssuer() {
		assertThat(refusal(valid().issuer("https://evil.example").build()))
			.isEqualTo(InvalidIdTokenException.Reason.ISSUER);
	}

	@Test
	void verifyWhenIssuerMissingThenIssuer() {
		assertThat(refusal(valid().issuer(null).build())).isEqualTo(InvalidIdTokenException.Reason.ISSUER);
	}

	@Test
	void verifyWhenIssuerDiffersOnlyByTrailingSlashThenIssuer() {
		assertThat(refusal(valid().issuer("https://as.example/").build()))
			.isEqualTo(InvalidIdTokenException.Reason.ISSUER);
	}

	@Test
	void verifyWhenAudienceIsAnotherClientThenAudience() {
		assertThat(refusal(valid().audience("client-2").build())).isEqualTo(InvalidIdTokenException.Reason.AUDIENCE);
	}

	@Test
	void verifyWhenAudienceMissingThenAudience() {
		assertThat(refusal(valid().audience((String) null).build()))
			.isEqualTo(InvalidIdTokenException.Reason.AUDIENCE);
	}

	@Test
	void verifyWhenExpiredBeyondSkewThenExpired() {
		assertThat(refusal(valid().expirationTime(Date.from(NOW.minus(SKEW).minusSeconds(1))).build()))
			.isEqualTo(InvalidIdTokenException.Reason.EXPIRED);
	}

	@Test
	void verifyWhenExpiredWithinSkewThenAccepted() {
		assertThatNoException().isThrownBy(() -> this.verifier
			.verify(valid().expirationTime(Date.from(NOW.minus(SKEW).plusSeconds(1))).build(), null));
	}

	@Test
	void verifyWhenIssuedInTheFutureBeyondSkewThenExpired() {
		assertThat(refusal(valid().issueTime(Date.from(NOW.plus(SKEW).plusSeconds(1))).build()))
			.isEqualTo(InvalidIdTokenException.Reason.EXPIRED);
	}

	@Test
	void verifyWhenExpiryMissingThenClaims() {
		assertThat(refusal(valid().expirationTime(null).build())).isEqualTo(InvalidIdTokenException.Reason.CLAIMS);
	}

	@Test
	void verifyWhenIssueTimeMissingThenClaims() {
		assertThat(refusal(valid().issueTime(null).build())).isEqualTo(InvalidIdTokenException.Reason.CLAIMS);
	}

	@Test
	void verifyWhenSubjectMissingThenClaims() {
		assertThat(refusal(valid().subject(null).build())).isEqualTo(InvalidIdTokenException.Reason.CLAIMS);
	}

}
