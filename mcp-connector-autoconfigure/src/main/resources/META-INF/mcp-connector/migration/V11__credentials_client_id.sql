-- The client id a grant was issued to, kept with its tokens so that a refresh or a revocation
-- goes with that client only, never with another registered at the same issuer later (a new
-- dynamic registration, a changed pre-registered or client ID metadata document id). Rows that
-- predate it stay null, which means "the issuer's current client", as before: a stored dynamic
-- registration may have been replaced since such a grant was obtained, so copying its id here
-- could pin a grant to a client that never held it.
alter table mcp_connection_credentials add column client_id varchar(2048);
