package dev.mcpconnector.hostapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A host application as a user would write it: its own entity, Spring Data repository and
 * Flyway migration, Boot's default security, and the starter on the classpath.
 */
@SpringBootApplication
public class HostApplication {

}
