-- Scopes to ask for at the next authorization of a connection: those the user asked for,
-- united with any a server demanded through an insufficient_scope challenge (step-up).
alter table mcp_connection add column requested_scopes varchar(4096);
