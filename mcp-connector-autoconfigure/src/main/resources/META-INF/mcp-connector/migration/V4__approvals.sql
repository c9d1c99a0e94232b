-- Human approvals of tool calls: single-use, bound to the exact arguments (by hash), expiring.
create table mcp_approval (
    id              uuid          primary key,
    tenant_id       varchar(255)  not null,
    owner_id        varchar(255)  not null,
    connection_id   uuid          not null references mcp_connection (id) on delete cascade,
    tool            varchar(255)  not null,
    arguments_hash  varchar(64)   not null,
    preview         varchar(1024),
    status          varchar(20)   not null,
    created_at      timestamp(6) with time zone not null,
    expires_at      timestamp(6) with time zone not null,
    decided_by      varchar(255),
    decided_at      timestamp(6) with time zone
);

create index mcp_approval_lookup_idx on mcp_approval (tenant_id, owner_id, connection_id, tool, arguments_hash, status);
create index mcp_approval_pending_idx on mcp_approval (tenant_id, status, expires_at);
