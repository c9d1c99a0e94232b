package dev.mcpconnector.connection;

/** Where a connection stands, as the frontend shows it. */
public enum ConnectionStatus {

	/** The user must go through the authorization server's consent before first use. */
	AUTHORIZATION_REQUIRED,

	/** Usable: no authorization needed, or a valid token is stored. */
	ACTIVE,

	/** The stored grant stopped working (revoked, expired refresh token, more scopes needed). */
	REAUTHORIZATION_REQUIRED,

	/** The server did not answer the last check. */
	UNREACHABLE

}
