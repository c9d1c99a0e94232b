-- The host application's own migration, at Flyway's default location.
create table notes (
    id    bigserial primary key,
    text  varchar(255) not null
);
