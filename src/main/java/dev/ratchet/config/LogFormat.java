package dev.ratchet.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code ratchet.log.format}: {@code plain} (the default, the pattern in application.properties) or
 * {@code json}, which turns on Spring Boot's structured console logging in the Elastic Common Schema
 * ({@code logging.structured.format.console=ecs}; MDC entries such as {@code node}, {@code term} and
 * {@code role} become fields). Runs once, before logging is initialised, on the starting thread; an
 * explicit {@code logging.structured.format.console} wins.
 *
 * @throws Validation.InvalidPropertyException (from {@link #postProcessEnvironment}) for any other value
 */
public final class LogFormat implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "ratchet.log.format";
    private static final String STRUCTURED = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "plain").trim();
        switch (format) {
            case "plain" -> {
            }
            case "json" -> {
                if (environment.getProperty(STRUCTURED) == null) {
                    environment.getPropertySources().addLast(new MapPropertySource("ratchet.log.format",
                            Map.of(STRUCTURED, "ecs")));
                }
            }
            default -> throw new Validation.InvalidPropertyException(PROPERTY, "plain or json", format);
        }
    }

    /** After the config files are read, so a format given in application.properties counts too. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
