package dev.mcpconnector.registration;

/** How the client identity for an authorization server was obtained. */
public enum ClientRegistrationSource {

	/** Configured by the application for that issuer. */
	PRE_REGISTERED,

	/** A client ID metadata document URL served by the application. */
	METADATA_DOCUMENT,

	/** RFC 7591 dynamic client registration. */
	DYNAMIC

}
