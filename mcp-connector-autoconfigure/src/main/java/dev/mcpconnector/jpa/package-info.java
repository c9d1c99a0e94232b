/**
 * JPA storage: package-private entities and the public {@code Jpa…} implementations of the
 * storage SPIs. Entities are registered with the host application's entity manager factory
 * without replacing its own {@code @EntityScan}; no Spring Data repository bean is declared,
 * so the host's {@code @EnableJpaRepositories} (or Boot's default) stays in charge.
 */
package dev.mcpconnector.jpa;
