package dev.mcpconnector.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A bare application with every auto-configuration, for tests of the library in place. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {

}
