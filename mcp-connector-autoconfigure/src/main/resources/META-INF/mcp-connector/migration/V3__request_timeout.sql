-- A per-connection override of mcp.connector.client.request-timeout, in milliseconds.
alter table mcp_connection add column request_timeout_ms bigint;
