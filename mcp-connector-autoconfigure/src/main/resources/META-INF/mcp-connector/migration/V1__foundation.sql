-- mcp-connector schema, version 1.
-- Files here use the prefix "MCP" (not Flyway's default "V"), so a host application whose own
-- Flyway scans classpath:db/migration recursively does not pick them up; mcp-connector runs
-- them with its own Flyway instance and its own history table.

create table mcp_connection (
    id              uuid          primary key,
    tenant_id       varchar(255)  not null,
    owner_id        varchar(255)  not null,
    name            varchar(255)  not null,
    server_url      varchar(2048) not null,
    resource_uri    varchar(2048) not null,
    status          varchar(40)   not null,
    issuer          varchar(2048),
    granted_scopes  varchar(4096),
    created_at      timestamp(6) with time zone not null,
    updated_at      timestamp(6) with time zone not null,
    version         bigint        not null
);

create index mcp_connection_owner_idx on mcp_connection (tenant_id, owner_id, created_at);

-- Tokens: AES-256-GCM ciphertexts bound to (column, connection id, tenant, owner).
create table mcp_connection_credentials (
    connection_id   uuid          primary key references mcp_connection (id) on delete cascade,
    access_token    bytea         not null,
    refresh_token   bytea,
    token_type      varchar(40)   not null,
    expires_at      timestamp(6) with time zone,
    scopes          varchar(4096),
    updated_at      timestamp(6) with time zone not null
);

-- The application's client identity at each authorization server, keyed by its issuer.
create table mcp_client_registration (
    issuer                    varchar(2048) primary key,
    client_id                 varchar(2048) not null,
    client_secret             bytea,
    auth_method               varchar(64)   not null,
    source                    varchar(40)   not null,
    redirect_uri              varchar(2048),
    client_secret_expires_at  timestamp(6) with time zone,
    created_at                timestamp(6) with time zone not null
);

-- Authorization requests between redirect and callback. The state is stored only as its
-- SHA-256; the PKCE verifier is encrypted.
create table mcp_pending_authorization (
    state_hash        varchar(64)   primary key,
    tenant_id         varchar(255)  not null,
    owner_id          varchar(255)  not null,
    connection_id     uuid          not null references mcp_connection (id) on delete cascade,
    code_verifier     bytea         not null,
    issuer            varchar(2048) not null,
    requested_scopes  varchar(4096),
    redirect_uri      varchar(2048) not null,
    return_to         varchar(2048),
    created_at        timestamp(6) with time zone not null,
    expires_at        timestamp(6) with time zone not null
);

create index mcp_pending_authorization_expiry_idx on mcp_pending_authorization (expires_at);
