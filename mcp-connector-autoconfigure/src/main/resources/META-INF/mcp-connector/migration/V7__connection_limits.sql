-- Per-connection overrides of mcp.connector.client.connect-timeout and max-response-size.
alter table mcp_connection add column connect_timeout_ms bigint;
alter table mcp_connection add column max_response_bytes bigint;
