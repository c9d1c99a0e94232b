package dev.mcpconnector.execution;

import java.util.UUID;

import dev.mcpconnector.connection.ConnectionStatus;

/**
 * The result of checking a connection now: is the server there, is the grant usable, how many
 * tools does it offer.
 *
 * @param connectionId the connection
 * @param status the connection's status after the check
 * @param reachable whether the server answered a ping
 * @param authorized whether the server accepted the connection's credentials (or needs none)
 * @param toolCount the number of tools the server lists, or -1 when unknown
 * @param latencyMillis how long the check took
 * @param errorCode why it failed, or {@code null}
 */
public record ConnectionCheck(UUID connectionId, ConnectionStatus status, boolean reachable, boolean authorized,
		int toolCount, long latencyMillis, String errorCode) {
}
