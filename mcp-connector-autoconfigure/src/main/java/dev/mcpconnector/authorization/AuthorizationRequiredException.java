package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;

import java.net.URI;
import java.util.UUID;

import dev.mcpconnector.McpConnectorException;

import org.springframework.http.ProblemDetail;
import dev.mcpconnector.discovery.BearerChallenge;

/**
 * A connection needs the user to go through the authorization server (again): it was never
 * authorized, its grant stopped working, or the server asked for more scopes. Carries what a
 * frontend needs to send the user to consent.
 */
public class AuthorizationRequiredException extends McpConnectorException {

	private final UUID connectionId;

	private final URI authorizationUrl;

	private final boolean stepUp;

	private final BearerChallenge challenge;

	public AuthorizationRequiredException(UUID connectionId, URI authorizationUrl, boolean stepUp, String message) {
		this(connectionId, authorizationUrl, stepUp, null, message);
	}

	public AuthorizationRequiredException(UUID connectionId, URI authorizationUrl, boolean stepUp,
			BearerChallenge challenge, String message) {
		super(stepUp ? McpConnectorErrorCode.STEP_UP_REQUIRED : McpConnectorErrorCode.AUTHORIZATION_REQUIRED, message);
		this.connectionId = connectionId;
		this.authorizationUrl = authorizationUrl;
		this.stepUp = stepUp;
		this.challenge = challenge;
	}

	/**
	 * The server's challenge that led here, if one did.
	 * @return the challenge or {@code null}
	 */
	public BearerChallenge challenge() {
		return this.challenge;
	}

	public UUID connectionId() {
		return this.connectionId;
	}

	/**
	 * Where to send the user, or {@code null} when the frontend should ask for one through
	 * {@code POST /connections/{id}/authorize}.
	 * @return the authorization URL
	 */
	public URI authorizationUrl() {
		return this.authorizationUrl;
	}

	public boolean isStepUp() {
		return this.stepUp;
	}

	@Override
	public ProblemDetail getBody() {
		ProblemDetail problem = super.getBody();
		problem.setProperty("connectionId", this.connectionId);
		if (this.authorizationUrl != null) {
			problem.setProperty("authorizationUrl", this.authorizationUrl);
		}
		return problem;
	}

}
