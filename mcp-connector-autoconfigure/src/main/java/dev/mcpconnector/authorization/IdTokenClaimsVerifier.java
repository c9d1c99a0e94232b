package dev.mcpconnector.authorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

/**
 * The claims checks of an ID token (OpenID Connect Core 3.1.3.7) after its signature verified:
 * {@code iss}, {@code aud}, {@code exp}, {@code iat} and {@code sub}. Our own rather than Nimbus's
 * {@code IDTokenClaimsVerifier} because that one says which check failed only in its message
 * text; each refusal here carries its {@link InvalidIdTokenException.Reason} as a type.
 */
final class IdTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

	private final String issuer;

	private final String clientId;

	private final Duration clockSkew;

	private final Clock clock;

	IdTokenClaimsVerifier(String issuer, String clientId, Duration clockSkew, Clock clock) {
		this.issuer = issuer;
		this.clientId = clientId;
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	@Override
	public void verify(JWTClaimsSet claims, SecurityContext context) throws Refused {
		if (!this.issuer.equals(claims.getIssuer())) {
			throw new Refused(InvalidIdTokenException.Reason.ISSUER);
		}
		List<String> audience = claims.getAudience();
		if (audience == null || !audience.contains(this.clientId)) {
			throw new Refused(InvalidIdTokenException.Reason.AUDIENCE);
		}
		Date expires = claims.getExpirationTime();
		Date issued = claims.getIssueTime();
		if (expires == null || issued == null || claims.getSubject() == null) {
			throw new Refused(InvalidIdTokenException.Reason.CLAIMS);
		}
		Instant now = this.clock.instant();
		if (!expires.toInstant().isAfter(now.minus(this.clockSkew))
				|| issued.toInstant().isAfter(now.plus(this.clockSkew))) {
			throw new Refused(InvalidIdTokenException.Reason.EXPIRED);
		}
	}

	/** A claim check failed; the reason says which. */
	static final class Refused extends BadJWTException {

		private final InvalidIdTokenException.Reason reason;

		Refused(InvalidIdTokenException.Reason reason) {
			super("ID token claims refused: " + reason.name());
			this.reason = reason;
		}

		InvalidIdTokenException.Reason reason() {
			return this.reason;
		}

	}

}
