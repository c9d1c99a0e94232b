-- The remote account a connection is signed in as (OpenID Connect): subject, name, username and
-- e-mail from a validated ID token. Personal data, so it is stored like a secret: one AES-256-GCM
-- ciphertext bound to (column, connection id, tenant, owner), re-encrypted by key rotation.
alter table mcp_connection add column remote_account bytea;

-- The OpenID Connect nonce of a pending authorization, only as its SHA-256 (hex); null when the
-- request asked for no ID token.
alter table mcp_pending_authorization add column nonce_hash varchar(64);
