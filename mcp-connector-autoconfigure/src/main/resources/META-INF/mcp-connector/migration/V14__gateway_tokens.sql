-- Gateway tokens: bearer tokens a user hands a hosted AI platform (OpenAI's or Anthropic's MCP
-- tool) so it can call the gateway as that user. Only a SHA-256 hash of the token is stored; the
-- token itself is shown once, when it is created. Every query names the owner.
create table mcp_gateway_token (
    id            uuid          primary key,
    tenant_id     varchar(255)  not null,
    owner_id      varchar(255)  not null,
    name          varchar(100)  not null,
    token_hash    bytea         not null,
    connections   text          not null,
    tool_globs    text          not null,
    created_at    timestamp(6) with time zone not null,
    expires_at    timestamp(6) with time zone not null,
    last_used_at  timestamp(6) with time zone
);

-- A presented token is found by its hash, and by nothing else.
create unique index mcp_gateway_token_hash_idx on mcp_gateway_token (token_hash);

-- An owner's tokens.
create index mcp_gateway_token_owner_idx on mcp_gateway_token (tenant_id, owner_id);
