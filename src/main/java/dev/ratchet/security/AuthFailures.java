package dev.ratchet.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ratchet_admin_auth_failures_total{reason}}: requests refused for their credentials. Reasons:
 * {@code missing} (none presented where needed: 401), {@code invalid} (a wrong, unknown or revoked
 * token, or a certificate without grants: 403), {@code disabled} (a bearer token on a node without
 * {@code ratchet.admin-token} that is no API token either: 403), {@code forbidden} (a valid credential
 * whose grants do not cover the request: 403). Thread-safe.
 */
public final class AuthFailures {

    /** Why a request was refused. */
    public enum Reason {
        MISSING, INVALID, DISABLED, FORBIDDEN
    }

    private final Counter[] counters = new Counter[Reason.values().length];

    public AuthFailures(MeterRegistry registry) {
        for (Reason r : Reason.values()) {
            counters[r.ordinal()] = Counter.builder("ratchet.admin.auth.failures")
                    .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Requests refused for their credentials: none (401), wrong ones, admin disabled "
                            + "or not granted (403)")
                    .register(registry);
        }
    }

    public void count(Reason reason) {
        counters[reason.ordinal()].increment();
    }
}
