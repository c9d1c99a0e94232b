package dev.mcpconnector.policy;

/** A policy's answer for one tool. */
public enum ToolDecision {

	/** Listed and callable. */
	ALLOW,

	/** Neither listed nor callable. */
	DENY,

	/** Listed; each call needs a human approval bound to its arguments. */
	REQUIRE_APPROVAL;

	/** The lower-case name used in audit events and metrics. */
	public String label() {
		return switch (this) {
			case ALLOW -> "allow";
			case DENY -> "deny";
			case REQUIRE_APPROVAL -> "approval";
		};
	}

}
