-- The private key (a JWK) a connection's DPoP-bound tokens are bound to (RFC 9449), encrypted
-- like the tokens beside it and bound to the row by its associated data. Null = bearer tokens.
alter table mcp_connection_credentials add column dpop_key bytea;
