-- The MCP revision a connection's server speaks, such as 2026-07-28 or 2025-11-25: what the
-- server/discover probe found, or what initialize negotiated. Null = not known yet: found by the
-- next probe or session (as MCP9's transport was for rows that predate it).
alter table mcp_connection add column protocol_version varchar(20);
