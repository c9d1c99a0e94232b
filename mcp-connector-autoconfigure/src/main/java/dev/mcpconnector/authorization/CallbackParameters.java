package dev.mcpconnector.authorization;

/**
 * The query parameters of an authorization response. {@link #toString()} redacts the code.
 *
 * @param code the authorization code
 * @param state the state
 * @param iss the RFC 9207 issuer
 * @param error the error code
 * @param errorDescription the error description
 */
public record CallbackParameters(String code, String state, String iss, String error, String errorDescription) {

	@Override
	public String toString() {
		return "CallbackParameters[code=" + ((this.code != null) ? "[REDACTED]" : "none") + ", state="
				+ ((this.state != null) ? "[REDACTED]" : "none") + ", iss=" + this.iss + ", error=" + this.error + "]";
	}

}
