package dev.ratchet.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad {@code ratchet.*} value into Spring Boot's start-up failure report with a one-line
 * description naming the property, instead of a bare stack trace.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<IllegalArgumentException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IllegalArgumentException cause) {
        String message = cause.getMessage();
        if (message == null || !message.startsWith("ratchet.")) {
            return null;
        }
        return new FailureAnalysis("Invalid configuration: " + message,
                "Fix the property (in application properties, a --" + message.split(" ", 2)[0]
                        + "=... argument, or its environment variable) and start again.", cause);
    }
}
