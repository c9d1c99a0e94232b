-- The transport a connection uses, found at connect time: STREAMABLE_HTTP or the legacy SSE.
alter table mcp_connection add column transport varchar(40) not null default 'STREAMABLE_HTTP';
-- When the scheduled connection check last looked at a connection (null = never).
alter table mcp_connection add column checked_at timestamp with time zone;
