package dev.ratchet.config;

import dev.ratchet.node.LogContext;
import dev.ratchet.raft.Role;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Run in a JVM of its own by {@link LogFormatTest}: starts a Spring application with the node's
 * application.properties and post-processors (no node, no web server), so logging is initialised exactly
 * as in a node, then logs one line with the node's MDC keys and exits. A plain class on purpose: no
 * {@code @SpringBootConfiguration} under src/test.
 */
public final class LogFormatProbe {

    private LogFormatProbe() {
    }

    public static void main(String[] args) {
        try (var context = new SpringApplicationBuilder(LogFormatProbe.class).web(WebApplicationType.NONE)
                .run(args)) {
            LogContext.put("probe-1", 7, Role.LEADER);
            LoggerFactory.getLogger("dev.ratchet.probe").info("probe line with a \"quote\"");
            LogContext.clear();
        }
    }
}
