-- Rate-limit buckets (Bucket4j's PostgreSQL backend, select-for-update variant), shared by
-- every application instance. One row per (scope, owner, connection, tool, limit):
--   id          first 8 bytes of the SHA-256 of the bucket key (see RateLimitInterceptor);
--               no user id is stored in clear
--   state       Bucket4j's serialized bucket state (null until the first call fills it)
--   expires_at  epoch milliseconds after which the bucket is full again and the row may be
--               deleted (RateLimitInterceptor.removeExpiredBuckets)
create table mcp_rate_limit_bucket (
    id          bigint  primary key,
    state       bytea,
    expires_at  bigint
);

create index mcp_rate_limit_bucket_expiry_idx on mcp_rate_limit_bucket (expires_at);
